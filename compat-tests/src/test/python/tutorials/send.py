#!/usr/bin/env python3
"""Tutorial one, "Hello World!": usage: send.py PORT QUEUE [MESSAGE]"""
import sys

import pika

port, queue = int(sys.argv[1]), sys.argv[2]
message = ' '.join(sys.argv[3:]) or 'Hello World!'

connection = pika.BlockingConnection(pika.ConnectionParameters('localhost', port))
channel = connection.channel()

channel.queue_declare(queue=queue)

channel.basic_publish(exchange='', routing_key=queue, body=message)
print(f" [x] Sent '{message}'")
connection.close()
