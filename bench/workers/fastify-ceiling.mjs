// The HTTP ceiling: bare Fastify answering POST /v1/ratings with 202 and no database, after parsing the JSON
// body and reading the bearer header, as minyi's route must at least do. It is the Fastify installed at the
// root (package.json pins the newest Fastify 5 and forces it under @nestjs/platform-fastify too); the version
// it runs is printed with LISTENING, so that the report names the version each side ran.
//   node bench/workers/fastify-ceiling.mjs <port>
import { createRequire } from 'node:module';
import Fastify from 'fastify';

const version = createRequire(import.meta.url)('fastify/package.json').version;

const port = Number(process.argv[2]);
const app = Fastify({ logger: false });
app.post('/v1/ratings', async (request, reply) => {
  if (!request.headers.authorization) return reply.code(401).send({ title: 'unauthenticated' });
  reply.code(202);
  return { id: request.body?.id ?? null, status: 'accepted' };
});
await app.listen({ port, host: '127.0.0.1' });
process.stdout.write(`LISTENING ${port} fastify ${version}\n`);
process.once('SIGTERM', () => app.close().then(() => process.exit(0)));
