#!/usr/bin/env python3
"""Tutorial four, routing: usage: emit_log_direct.py PORT EXCHANGE [SEVERITY] [MESSAGE...]"""
import sys

import pika

port, exchange = int(sys.argv[1]), sys.argv[2]

connection = pika.BlockingConnection(pika.ConnectionParameters('localhost', port))
channel = connection.channel()

channel.exchange_declare(exchange=exchange, exchange_type='direct')

severity = sys.argv[3] if len(sys.argv) > 3 else 'info'
message = ' '.join(sys.argv[4:]) or 'Hello World!'
channel.basic_publish(exchange=exchange, routing_key=severity, body=message)
print(f" [x] Sent {severity}:{message}")
connection.close()
