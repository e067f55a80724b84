#!/usr/bin/env python3
"""pika over TLS: connects with a client certificate, logs in, publishes one message and gets it back.

usage: tls_roundtrip.py PORT CA_FILE CERT_FILE KEY_FILE plain|external QUEUE
plain logs in as guest/guest (SASL PLAIN), external with the certificate (SASL EXTERNAL).
"""
import ssl
import sys

import pika
from pika.credentials import ExternalCredentials, PlainCredentials

port, ca, cert, key, mode, queue = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6]

context = ssl.create_default_context(cafile=ca)
context.load_cert_chain(cert, key)
credentials = ExternalCredentials() if mode == 'external' else PlainCredentials('guest', 'guest')
params = pika.ConnectionParameters('localhost', int(port), credentials=credentials,
                                   ssl_options=pika.SSLOptions(context, 'localhost'))
connection = pika.BlockingConnection(params)
print('connected', flush=True)
channel = connection.channel()
channel.queue_declare(queue, auto_delete=True)
channel.confirm_delivery()
channel.basic_publish('', queue, b'hello over tls')
method, properties, body = channel.basic_get(queue, auto_ack=True)
print('got ' + body.decode(), flush=True)
connection.close()
