// Lambdaform local cloud: runs one invocation of a Node.js handler, as Lambda's runtime would.
// Protocol: the event is read from the file named by _LF_EVENT; the outcome is written as JSON to _LF_RESULT.
import { readFileSync, writeFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const env = process.env;
// The runner's own variables: read once, then removed so that the handler sees only the documented environment.
const protocol = {};
for (const name of ["_LF_EVENT", "_LF_RESULT", "_LF_REQUEST_ID", "_LF_DEADLINE_MS", "_LF_FUNCTION_ARN"]) {
  protocol[name] = env[name];
  delete env[name];
}

function write(outcome) {
  writeFileSync(protocol._LF_RESULT, JSON.stringify(outcome));
}

function error(errorType, errorMessage, stackTrace = []) {
  write({ error: { errorType, errorMessage, requestId: protocol._LF_REQUEST_ID, stackTrace } });
}

const context = {
  functionName: env.AWS_LAMBDA_FUNCTION_NAME,
  functionVersion: env.AWS_LAMBDA_FUNCTION_VERSION,
  invokedFunctionArn: protocol._LF_FUNCTION_ARN,
  memoryLimitInMB: env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
  awsRequestId: protocol._LF_REQUEST_ID,
  logGroupName: env.AWS_LAMBDA_LOG_GROUP_NAME,
  logStreamName: env.AWS_LAMBDA_LOG_STREAM_NAME,
  callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => Math.max(0, Number(protocol._LF_DEADLINE_MS) - Date.now()),
};

async function main() {
  const handler = env._HANDLER;
  const dot = handler.lastIndexOf(".");
  const modulePath = handler.slice(0, dot);
  const exportName = handler.slice(dot + 1);
  const base = join(env.LAMBDA_TASK_ROOT, modulePath);
  const file = [".js", ".mjs", ".cjs"].map((ext) => base + ext).find((f) => existsSync(f));
  if (!file) {
    error("Runtime.ImportModuleError", `Error: Cannot find module '${modulePath}'`);
    return;
  }
  let module;
  try {
    module = await import(pathToFileURL(file).href);
  } catch (e) {
    error("Runtime.ImportModuleError", `${e && e.name}: ${e && e.message}`, String(e && e.stack || "").split("\n"));
    return;
  }
  const fn = module[exportName] ?? (module.default && module.default[exportName]);
  if (typeof fn !== "function") {
    error("Runtime.HandlerNotFound", `${modulePath}.${exportName} is undefined or not exported`);
    return;
  }
  const event = JSON.parse(readFileSync(protocol._LF_EVENT, "utf8"));
  let result;
  try {
    result = fn.length >= 3
      ? await new Promise((resolve, reject) => {
          const maybe = fn(event, context, (err, value) => (err ? reject(err) : resolve(value)));
          if (maybe && typeof maybe.then === "function") maybe.then(resolve, reject);
        })
      : await fn(event, context);
  } catch (e) {
    console.error(e);
    const err = e instanceof Error ? e : new Error(String(e));
    error(err.name || "Error", err.message, String(err.stack || "").split("\n").slice(1).map((l) => l.trim()));
    return;
  }
  // A result JSON cannot hold (a BigInt, a cycle, a toJSON that throws) is the runtime's error, not the handler's.
  let response;
  try {
    response = JSON.stringify(result === undefined ? null : result);
  } catch (e) {
    error("Runtime.MarshalError", `Unable to marshal response: ${e && e.message}`);
    return;
  }
  writeFileSync(protocol._LF_RESULT, `{"result":${response === undefined ? "null" : response}}`);
}

await main();
