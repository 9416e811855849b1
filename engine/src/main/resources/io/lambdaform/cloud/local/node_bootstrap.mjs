// Lambdaform local cloud: the Node.js runtime client. Like Lambda's own, it loads the handler's module once, then
// asks the Lambda Runtime API (AWS_LAMBDA_RUNTIME_API) for invocations, one after another, and posts each response or
// error. console's methods write as Lambda's Node.js runtime makes them write: "timestamp\trequest id\tLEVEL\tmessage",
// or JSON lines when AWS_LAMBDA_LOG_FORMAT is JSON, at AWS_LAMBDA_LOG_LEVEL.
import http from "node:http";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { format } from "node:util";

const env = process.env;
const [host, port] = [env.AWS_LAMBDA_RUNTIME_API.slice(0, env.AWS_LAMBDA_RUNTIME_API.lastIndexOf(":")),
  Number(env.AWS_LAMBDA_RUNTIME_API.slice(env.AWS_LAMBDA_RUNTIME_API.lastIndexOf(":") + 1))];
const PREFIX = "/2018-06-01/runtime";
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const JSON_FORMAT = (env.AWS_LAMBDA_LOG_FORMAT || "").toUpperCase() === "JSON";
const LEVELS = ["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"];
const minimum = LEVELS.indexOf((env.AWS_LAMBDA_LOG_LEVEL || (JSON_FORMAT ? "INFO" : "TRACE")).toUpperCase());
let requestId = undefined;

function request(method, path, body, headers = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host, port, method, path: PREFIX + path, agent, headers }, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on("error", reject);
    });
    req.on("error", reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

function patchConsole() {
  const write = (level, stream) => (...args) => {
    if (LEVELS.indexOf(level) < minimum) return;
    const message = format(...args);
    const timestamp = new Date().toISOString();
    const line = JSON_FORMAT
      ? JSON.stringify({ timestamp, level, requestId, message })
      : `${timestamp}\t${requestId}\t${level}\t${message.replace(/\n/g, "\r")}`;
    stream.write(line + "\n");
  };
  console.trace = write("TRACE", process.stdout);
  console.debug = write("DEBUG", process.stdout);
  console.info = write("INFO", process.stdout);
  console.log = write("INFO", process.stdout);
  console.warn = write("WARN", process.stdout);
  console.error = write("ERROR", process.stdout);
}

function errorObject(e) {
  const err = e instanceof Error ? e : new Error(String(e));
  return {
    errorType: err.name || "Error",
    errorMessage: err.message,
    trace: String(err.stack || "").split("\n"),
  };
}

async function postError(path, type, body) {
  await request("POST", path, JSON.stringify(body), {
    "Content-Type": "application/json",
    "Lambda-Runtime-Function-Error-Type": type,
  });
}

async function initError(errorType, errorMessage, trace = []) {
  console.error(`${errorType}: ${errorMessage}`);
  await postError("/init/error", errorType, { errorType, errorMessage, trace });
  process.exit(1);
}

async function loadHandler() {
  const handler = env._HANDLER;
  const dot = handler.lastIndexOf(".");
  const modulePath = handler.slice(0, dot);
  const exportName = handler.slice(dot + 1);
  const base = join(env.LAMBDA_TASK_ROOT, modulePath);
  const file = [".js", ".mjs", ".cjs"].map((ext) => base + ext).find((f) => existsSync(f));
  if (!file) {
    await initError("Runtime.ImportModuleError", `Error: Cannot find module '${modulePath}'`);
  }
  let module;
  try {
    module = await import(pathToFileURL(file).href);
  } catch (e) {
    await initError("Runtime.ImportModuleError", `${e && e.name}: ${e && e.message}`, String(e && e.stack || "").split("\n"));
  }
  const fn = module[exportName] ?? (module.default && module.default[exportName]);
  if (typeof fn !== "function") {
    await initError("Runtime.HandlerNotFound", `${modulePath}.${exportName} is undefined or not exported`);
  }
  return fn;
}

function context(headers) {
  return {
    functionName: env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: env.AWS_LAMBDA_FUNCTION_VERSION,
    invokedFunctionArn: headers["lambda-runtime-invoked-function-arn"],
    memoryLimitInMB: env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    awsRequestId: headers["lambda-runtime-aws-request-id"],
    logGroupName: env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: env.AWS_LAMBDA_LOG_STREAM_NAME,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, Number(headers["lambda-runtime-deadline-ms"]) - Date.now()),
  };
}

async function run(fn) {
  for (;;) {
    const next = await request("GET", "/invocation/next");
    if (next.status !== 200) process.exit(0);
    requestId = next.headers["lambda-runtime-aws-request-id"];
    if (next.headers["lambda-runtime-trace-id"]) env._X_AMZN_TRACE_ID = next.headers["lambda-runtime-trace-id"];
    const path = `/invocation/${requestId}`;
    let result;
    try {
      const text = next.body.toString("utf8");
      const event = text.length ? JSON.parse(text) : {};
      const ctx = context(next.headers);
      if (fn.length >= 3) {
        result = await new Promise((resolve, reject) => {
          const maybe = fn(event, ctx, (err, value) => (err ? reject(err) : resolve(value)));
          if (maybe && typeof maybe.then === "function") maybe.then(resolve, reject);
        });
      } else {
        // As Lambda's Node.js runtime: a handler that is not async and takes no callback answers null, whatever it
        // returns.
        const returned = fn(event, ctx);
        result = returned && typeof returned.then === "function" ? await returned : null;
      }
    } catch (e) {
      const body = errorObject(e);
      console.error("Invoke Error \t" + JSON.stringify({ ...body, stack: body.trace }));
      await postError(path + "/error", body.errorType, body);
      continue;
    }
    // A result JSON cannot hold (a BigInt, a cycle, a toJSON that throws) is the runtime's error, not the handler's.
    let response;
    try {
      response = JSON.stringify(result === undefined ? null : result);
    } catch (e) {
      const body = { errorType: "Runtime.MarshalError", errorMessage: `Unable to marshal response: ${e && e.message}` };
      await postError(path + "/error", body.errorType, body);
      continue;
    }
    await request("POST", path + "/response", response === undefined ? "null" : response, {
      "Content-Type": "application/json",
    });
  }
}

patchConsole();
await run(await loadHandler());
