#!/usr/bin/env python3
"""Tutorial three, publish/subscribe: usage: emit_log.py PORT EXCHANGE [MESSAGE...]"""
import sys

import pika

port, exchange = int(sys.argv[1]), sys.argv[2]

connection = pika.BlockingConnection(pika.ConnectionParameters('localhost', port))
channel = connection.channel()

channel.exchange_declare(exchange=exchange, exchange_type='fanout')

message = ' '.join(sys.argv[3:]) or "info: Hello World!"
channel.basic_publish(exchange=exchange, routing_key='', body=message)
print(f" [x] Sent {message}")
connection.close()
