#!/usr/bin/env python3
"""Tutorial two, work queues: usage: new_task.py PORT QUEUE [WORDS...]"""
import sys

import pika

port, queue = int(sys.argv[1]), sys.argv[2]

connection = pika.BlockingConnection(pika.ConnectionParameters('localhost', port))
channel = connection.channel()

channel.queue_declare(queue=queue, durable=True)

message = ' '.join(sys.argv[3:]) or "Hello World!"
channel.basic_publish(
    exchange='',
    routing_key=queue,
    body=message,
    properties=pika.BasicProperties(delivery_mode=pika.spec.PERSISTENT_DELIVERY_MODE))
print(f" [x] Sent {message}")
connection.close()
