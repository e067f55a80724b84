#!/usr/bin/env python3
"""Tutorial four, routing: usage: receive_logs_direct.py PORT EXCHANGE SEVERITY... (until killed)"""
import sys

import pika

port, exchange = int(sys.argv[1]), sys.argv[2]

connection = pika.BlockingConnection(pika.ConnectionParameters('localhost', port))
channel = connection.channel()

channel.exchange_declare(exchange=exchange, exchange_type='direct')

result = channel.queue_declare(queue='', exclusive=True)
queue_name = result.method.queue

severities = sys.argv[3:]
if not severities:
    sys.stderr.write("Usage: %s PORT EXCHANGE [info] [warning] [error]\n" % sys.argv[0])
    sys.exit(1)

for severity in severities:
    channel.queue_bind(exchange=exchange, queue=queue_name, routing_key=severity)

print(' [*] Waiting for logs. To exit press CTRL+C')


def callback(ch, method, properties, body):
    print(f" [x] {method.routing_key}:{body.decode()}")


channel.basic_consume(queue=queue_name, on_message_callback=callback, auto_ack=True)

channel.start_consuming()
