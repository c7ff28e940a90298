// The HTTP ceiling: bare Fastify (the version minyi runs on) answering POST /v1/ratings with 202 and no
// database, after parsing the JSON body and reading the bearer header, as minyi's route must at least do.
//   node bench/workers/fastify-ceiling.mjs <port>
import Fastify from 'fastify';

const port = Number(process.argv[2]);
const app = Fastify({ logger: false });
app.post('/v1/ratings', async (request, reply) => {
  if (!request.headers.authorization) return reply.code(401).send({ title: 'unauthenticated' });
  reply.code(202);
  return { id: request.body?.id ?? null, status: 'accepted' };
});
await app.listen({ port, host: '127.0.0.1' });
process.stdout.write(`LISTENING ${port}\n`);
process.once('SIGTERM', () => app.close().then(() => process.exit(0)));
