#!/usr/bin/env python3
"""RabbitMQ's "Work Queues" sender (tutorial two, pika): a persistent message to a durable queue,
without publisher confirms. Unchanged but for the port and the queue name (tests must not share
'task_queue' on a shared broker).

usage: new_task.py PORT QUEUE MESSAGE...
"""
import sys

import pika

port = int(sys.argv[1])
queue = sys.argv[2]

connection = pika.BlockingConnection(pika.ConnectionParameters('localhost', port))
channel = connection.channel()

channel.queue_declare(queue=queue, durable=True)

message = ' '.join(sys.argv[3:]) or "Hello World!"
channel.basic_publish(
    exchange='',
    routing_key=queue,
    body=message,
    properties=pika.BasicProperties(delivery_mode=2))  # make message persistent
print(f" [x] Sent {message}", flush=True)
connection.close()
