#!/usr/bin/env python3
"""Tutorial five, topics: usage: emit_log_topic.py PORT EXCHANGE [ROUTING_KEY] [MESSAGE...]"""
import sys

import pika

port, exchange = int(sys.argv[1]), sys.argv[2]

connection = pika.BlockingConnection(pika.ConnectionParameters('localhost', port))
channel = connection.channel()

channel.exchange_declare(exchange=exchange, exchange_type='topic')

routing_key = sys.argv[3] if len(sys.argv) > 3 else 'anonymous.info'
message = ' '.join(sys.argv[4:]) or 'Hello World!'
channel.basic_publish(exchange=exchange, routing_key=routing_key, body=message)
print(f" [x] Sent {routing_key}:{message}")
connection.close()
