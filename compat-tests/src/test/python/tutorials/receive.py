#!/usr/bin/env python3
"""Tutorial one, "Hello World!": usage: receive.py PORT QUEUE (consumes until killed)"""
import sys

import pika

port, queue = int(sys.argv[1]), sys.argv[2]

connection = pika.BlockingConnection(pika.ConnectionParameters('localhost', port))
channel = connection.channel()

channel.queue_declare(queue=queue)


def callback(ch, method, properties, body):
    print(f" [x] Received {body.decode()}")


channel.basic_consume(queue=queue, on_message_callback=callback, auto_ack=True)

print(' [*] Waiting for messages. To exit press CTRL+C')
channel.start_consuming()
