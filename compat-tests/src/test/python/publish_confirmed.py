#!/usr/bin/env python3
"""A pika publisher with publisher confirms.

usage: publish_confirmed.py PORT QUEUE COUNT
Publishes COUNT persistent messages to QUEUE through the default exchange, each confirmed
before the next (BlockingChannel raises on a nack), then one mandatory message nobody can
route, which must come back as unroutable. Prints one line per step; exits 0 when all went well.
"""
import sys

import pika
from pika.exceptions import UnroutableError

port = int(sys.argv[1])
queue = sys.argv[2]
count = int(sys.argv[3])

connection = pika.BlockingConnection(pika.ConnectionParameters('localhost', port))
channel = connection.channel()
channel.confirm_delivery()

for i in range(count):
    channel.basic_publish(
        exchange='',
        routing_key=queue,
        body=f'pika {i}'.encode(),
        properties=pika.BasicProperties(content_type='text/plain', delivery_mode=2,
                                        headers={'n': i}, message_id=f'id-{i}'),
        mandatory=True)
    print(f'confirmed {i}', flush=True)

try:
    channel.basic_publish(exchange='amq.direct', routing_key='nobody-listens-' + queue, body=b'lost',
                          mandatory=True)
    print('unroutable message was not returned', flush=True)
    sys.exit(1)
except UnroutableError:
    print('returned unroutable', flush=True)

connection.close()
print('done', flush=True)
