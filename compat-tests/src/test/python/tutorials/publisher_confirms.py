#!/usr/bin/env python3
"""Tutorial seven, publisher confirms, "publishing messages individually", with pika.

usage: publisher_confirms.py PORT QUEUE COUNT
BlockingChannel.basic_publish waits for the broker's confirm in confirm mode (and raises on a
nack), so each message is confirmed before the next is sent.
"""
import sys
import time

import pika

port, queue, count = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])

connection = pika.BlockingConnection(pika.ConnectionParameters('localhost', port))
channel = connection.channel()

channel.queue_declare(queue=queue, auto_delete=True)
channel.confirm_delivery()

start = time.monotonic()
for i in range(count):
    channel.basic_publish(exchange='', routing_key=queue, body=str(i))
elapsed = time.monotonic() - start
print(f"Published {count} messages individually", flush=True)
print(f"in {elapsed * 1000:.0f} ms", file=sys.stderr)
connection.close()
