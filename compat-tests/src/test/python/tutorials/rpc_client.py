#!/usr/bin/env python3
"""Tutorial six, RPC: usage: rpc_client.py PORT QUEUE N... (asks fib(N) for each N in turn)"""
import sys
import uuid

import pika

port, queue = int(sys.argv[1]), sys.argv[2]


class FibonacciRpcClient(object):

    def __init__(self):
        self.connection = pika.BlockingConnection(pika.ConnectionParameters('localhost', port))

        self.channel = self.connection.channel()

        result = self.channel.queue_declare(queue='', exclusive=True)
        self.callback_queue = result.method.queue

        self.channel.basic_consume(
            queue=self.callback_queue,
            on_message_callback=self.on_response,
            auto_ack=True)

        self.response = None
        self.corr_id = None

    def on_response(self, ch, method, props, body):
        if self.corr_id == props.correlation_id:
            self.response = body

    def call(self, n):
        self.response = None
        self.corr_id = str(uuid.uuid4())
        self.channel.basic_publish(
            exchange='',
            routing_key=queue,
            properties=pika.BasicProperties(
                reply_to=self.callback_queue,
                correlation_id=self.corr_id,
            ),
            body=str(n))
        while self.response is None:
            self.connection.process_data_events(time_limit=None)
        return int(self.response)


fibonacci_rpc = FibonacciRpcClient()

for n in sys.argv[3:]:
    print(f" [x] Requesting fib({n})")
    response = fibonacci_rpc.call(int(n))
    print(f" [.] Got {response}")

fibonacci_rpc.connection.close()
