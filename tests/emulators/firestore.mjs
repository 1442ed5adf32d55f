// A Firestore emulator on 127.0.0.1:PORT for the tests: `node firestore.mjs PORT`.
//
// @firestore-emulator/server with three fixes, so that it keeps Firestore's promises on commits:
// - FirestoreServer.start() binds every interface: bind loopback through its gRPC server instead;
// - a commit is all or nothing: every precondition (exists, update time) is checked before any
//   write is applied (the emulator applies writes one by one and ignores update times);
// - a document's update time always moves forward (the emulator's clock counts milliseconds, and
//   two writes in one millisecond would make an update-time precondition pass on a stale read).
import { FirestoreServer } from "@firestore-emulator/server";
import { ServerCredentials, status } from "@grpc/grpc-js";

const COMMIT = "/google.firestore.v1.Firestore/Commit";

const port = Number(process.argv[2]);
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
