#!/usr/bin/env python3
"""RabbitMQ's "Hello World" receiver (tutorial one, pika), unchanged but for the port and an exit.

usage: receive.py PORT COUNT -- consumes from 'hello' and exits after COUNT messages.
"""
import sys

import pika

port = int(sys.argv[1])
count = int(sys.argv[2])
received = 0


def callback(ch, method, properties, body):
    global received
    print(f" [x] Received {body.decode()}", flush=True)
    received += 1
    if received == count:
        ch.stop_consuming()


connection = pika.BlockingConnection(pika.ConnectionParameters('localhost', port))
channel = connection.channel()

channel.queue_declare(queue='hello')

channel.basic_consume(queue='hello', auto_ack=True, on_message_callback=callback)

print(' [*] Waiting for messages.', flush=True)
channel.start_consuming()
connection.close()
