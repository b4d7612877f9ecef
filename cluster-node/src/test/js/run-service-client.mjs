// A Node.js client of Griot's RunService (grpc-js + proto-loader): submits a scripted run,
// watches its journal to the end, and tries one bad submit. Prints one JSON line for the test.
// Also asks the server's reflection service which services it offers.
// Usage: node run-service-client.mjs PORT PROTO_DIR REFLECTION_PROTO_DIR
import grpc from '@grpc/grpc-js';
import protoLoader from '@grpc/proto-loader';

const [port, protoDir, reflectionDir] = process.argv.slice(2);
const definition = protoLoader.loadSync('griot/v1/run_service.proto', {
  includeDirs: [protoDir], keepCase: true, longs: Number, enums: String, defaults: true, oneofs: true,
});
const { griot } = grpc.loadPackageDefinition(definition);
const client = new griot.v1.RunService(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
const deadline = () => new Date(Date.now() + 60_000);
const call = (method, request) => new Promise((resolve, reject) =>
  client[method](request, { deadline: deadline() }, (err, res) => (err ? reject(err) : resolve(res))));

const submitted = await call('SubmitRun', {
  harness: 'scripted', prompt: 'hello from node', options: { transcript: 'claude-bash-tool', turns: '3' },
});
const events = await new Promise((resolve, reject) => {
  const seen = [];
  const stream = client.WatchRun({ run_id: submitted.run.run_id, from_sequence_nr: 0 });
  stream.on('data', (e) => seen.push({ seq: e.sequence_nr, state: e.state, kind: e.event, turn: e.turn_completed?.number }));
  stream.on('end', () => resolve(seen));
  stream.on('error', reject);
});
let badCode = null, badMessage = null;
try {
  await call('SubmitRun', { harness: 'scripted', prompt: '' });
} catch (err) {
  badCode = grpc.status[err.code];
  badMessage = err.details;
}
const reflection = grpc.loadPackageDefinition(protoLoader.loadSync('grpc/reflection/v1alpha/reflection.proto', {
  includeDirs: [reflectionDir], keepCase: true, oneofs: true,
})).grpc.reflection.v1alpha;
const reflect = new reflection.ServerReflection(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
const services = await new Promise((resolve, reject) => {
  const stream = reflect.ServerReflectionInfo();
  stream.on('data', (res) => {
    resolve(res.list_services_response.service.map((s) => s.name));
    stream.end();
  });
  stream.on('error', reject);
  stream.write({ list_services: '' });
});
console.log(JSON.stringify({ runId: submitted.run.run_id, created: submitted.created, events, badCode, badMessage, services }));
client.close();
reflect.close();
