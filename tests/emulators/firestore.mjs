// A Firestore emulator on 127.0.0.1:PORT for the tests: `node firestore.mjs PORT [COUNTS_PORT]`.
//
// @firestore-emulator/server with three fixes, so that it keeps Firestore's promises on commits:
// - FirestoreServer.start() binds every interface: bind loopback through its gRPC server instead;
// - a commit is all or nothing: every precondition (exists, update time) is checked before any
//   write is applied (the emulator applies writes one by one and ignores update times);
// - a document's update time always moves forward (the emulator's clock counts milliseconds, and
//   two writes in one millisecond would make an update-time precondition pass on a stale read).
//
// With COUNTS_PORT it also counts what Firestore would bill, per top-level collection, and serves
// the counts on http://127.0.0.1:COUNTS_PORT/counts (POST /reset zeroes them): a read per document
// got or returned by a query (an empty query: one read), a write or delete per document written.
import http from "node:http";
import { FirestoreServer } from "@firestore-emulator/server";
import { ServerCredentials, status } from "@grpc/grpc-js";

const COMMIT = "/google.firestore.v1.Firestore/Commit";

const port = Number(process.argv[2]);
const countsPort = process.argv[3] ? Number(process.argv[3]) : null;
if (!Number.isInteger(port) || port <= 0) {
  console.error("usage: node firestore.mjs PORT");
  process.exit(2);
}

const emulator = new FirestoreServer();
const { server, state } = emulator;

function documentOf(write) {
  return state.getDocument(write.has_delete ? write.delete : write.update.name);
}

function preconditionFailure(write) {
  if (!write.has_current_document) return null;
  const condition = write.current_document;
  const document = documentOf(write);
  const exists = document.metadata.hasExist;
  if (condition.has_exists && condition.exists && !exists) {
    return { code: status.NOT_FOUND, details: `no entity to update: ${document.getDocumentPath()}` };
  }
  if (condition.has_exists && !condition.exists && exists) {
    return { code: status.ALREADY_EXISTS, details: `entity already exists: ${document.getDocumentPath()}` };
  }
  if (condition.has_update_time) {
    const { seconds, nanos } = condition.update_time;
    if (!exists || document.metadata.updatedAt.getTime() !== seconds * 1000 + Math.floor(nanos / 1e6)) {
      return { code: status.FAILED_PRECONDITION, details: `stale update time: ${document.getDocumentPath()}` };
    }
  }
  return null;
}

// The service implementation is bound when registered: wrap its registered Commit handler.
const commit = server.handlers.get(COMMIT);
const applyCommit = commit.func;
commit.func = (call, callback) => {
  const failure = call.request.writes.map(preconditionFailure).find(Boolean);
  if (failure) {
    callback(failure, null);
    return;
  }
  applyCommit(call, callback);
};

const writeDocument = state.writeV1Document.bind(state);
state.writeV1Document = (date, write) => {
  const { hasExist, updatedAt } = documentOf(write).metadata;
  const later = hasExist && date <= updatedAt ? new Date(updatedAt.getTime() + 1) : date;
  return writeDocument(later, write);
};

// --- what Firestore would bill -------------------------------------------------------------------
let counts = { reads: 0, writes: 0, deletes: 0, collections: {} };

function collectionOf(name) {
  const found = /\/documents\/([^/]+)/.exec(name || "");
  return found ? found[1] : "(root)";
}

function bill(kind, collection, n = 1) {
  counts[kind] += n;
  const entry = (counts.collections[collection] ??= { reads: 0, writes: 0, deletes: 0 });
  entry[kind] += n;
}

function wrapUnary(path, count) {
  const handler = server.handlers.get(path);
  const apply = handler.func;
  handler.func = (call, callback) => apply(call, (error, response) => {
    if (!error) count(call.request, response);
    callback(error, response);
  });
}

function wrapStream(path, onMessage, onEnd) {
  const handler = server.handlers.get(path);
  const apply = handler.func;
  handler.func = (call) => {
    const write = call.write.bind(call);
    const end = call.end.bind(call);
    let seen = 0;
    call.write = (message, ...rest) => {
      seen += onMessage(call.request, message);
      return write(message, ...rest);
    };
    call.end = (...rest) => {
      onEnd(call.request, seen);
      return end(...rest);
    };
    return apply(call);
  };
}

if (countsPort) {
  wrapUnary("/google.firestore.v1.Firestore/GetDocument", (request) => bill("reads", collectionOf(request.name)));
  wrapUnary(COMMIT, (request) => {
    for (const write of request.writes) {
      if (write.has_delete) bill("deletes", collectionOf(write.delete));
      else bill("writes", collectionOf(write.update?.name ?? write.transform?.document));
    }
  });
  wrapStream("/google.firestore.v1.Firestore/BatchGetDocuments", (request, message) => {
    const name = message.has_found ? message.found.name : message.missing;
    if (!name) return 0;
    bill("reads", collectionOf(name));
    return 1;
  }, () => {});
  const queried = (request) => request.structured_query?.from?.[0]?.collection_id ?? "(root)";
  wrapStream("/google.firestore.v1.Firestore/RunQuery", (request, message) => {
    if (!message.has_document) return 0;
    bill("reads", collectionOf(message.document.name));
    return 1;
  }, (request, seen) => {
    if (seen === 0) bill("reads", queried(request));
  });
  wrapStream("/google.firestore.v1.Firestore/RunAggregationQuery", () => 0, (request) => {
    bill("reads", request.structured_aggregation_query?.structured_query?.from?.[0]?.collection_id ?? "(root)");
  });
  http.createServer((request, response) => {
    if (request.method === "POST" && request.url === "/reset") {
      counts = { reads: 0, writes: 0, deletes: 0, collections: {} };
    } else if (!(request.method === "GET" && request.url === "/counts")) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify(counts));
  }).listen(countsPort, "127.0.0.1");
}

server.bindAsync(`127.0.0.1:${port}`, ServerCredentials.createInsecure(), (error) => {
  if (error) {
    console.error(`firestore emulator: ${error.message}`);
    process.exit(1);
  }
  console.log(`firestore emulator listening on 127.0.0.1:${port}`);
});

for (const signal of ["SIGTERM", "SIGINT"]) {
  process.on(signal, () => {
    emulator.stop();
    process.exit(0);
  });
}
