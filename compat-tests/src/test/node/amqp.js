// amqplib against the broker under test, driven by AmqplibTest.
//
//   node amqp.js URL publish QUEUE COUNT   publish COUNT messages on a confirm channel, wait for the confirms
//   node amqp.js URL consume QUEUE COUNT   consume with acks (prefetch 10); nack the first delivery once
//                                          with requeue, so it must come back redelivered
//
// Prints one JSON line per event on stdout; exits 0 when done, 1 on any error.
'use strict';

const amqp = require('amqplib');

const [url, mode, queue, countArg] = process.argv.slice(2);
const count = Number(countArg);

function emit(event) {
  process.stdout.write(JSON.stringify(event) + '\n');
}

async function publish(conn) {
  const ch = await conn.createConfirmChannel();
  await ch.assertQueue(queue, { durable: false, exclusive: false, autoDelete: false });
  for (let i = 0; i < count; i++) {
    ch.sendToQueue(queue, Buffer.from(`node ${i}`), {
      contentType: 'text/plain',
      headers: { n: i },
      messageId: `node-${i}`,
    });
  }
  await ch.waitForConfirms();
  emit({ event: 'confirmed', count });
  await ch.close();
}

async function consume(conn) {
  const ch = await conn.createChannel();
  await ch.prefetch(10);
  let acked = 0;
  let nacked = false;
  await new Promise((resolve, reject) => {
    ch.on('error', reject);
    ch.consume(queue, (msg) => {
      if (msg === null) {
        reject(new Error('consumer cancelled by the broker'));
        return;
      }
      const body = msg.content.toString();
      if (!nacked) {
        nacked = true;
        emit({ event: 'nacked', body, redelivered: msg.fields.redelivered });
        ch.nack(msg, false, true);
        return;
      }
      emit({ event: 'received', body, redelivered: msg.fields.redelivered, tag: msg.fields.deliveryTag });
      ch.ack(msg);
      acked++;
      if (acked === count) {
        resolve();
      }
    }, { noAck: false }).catch(reject);
  });
  await ch.close();
}

async function main() {
  const conn = await amqp.connect(url);
  conn.on('error', (err) => emit({ event: 'connection-error', message: String(err) }));
  try {
    if (mode === 'publish') {
      await publish(conn);
    } else if (mode === 'consume') {
      await consume(conn);
    } else {
      throw new Error(`unknown mode ${mode}`);
    }
  } finally {
    await conn.close();
  }
  emit({ event: 'done' });
}

main().catch((err) => {
  emit({ event: 'error', message: String(err && err.stack || err) });
  process.exit(1);
});
