# Lambdaform local cloud: the Python runtime client. Like Lambda's own, it imports the handler's module once, then
# asks the Lambda Runtime API (AWS_LAMBDA_RUNTIME_API) for invocations, one after another, and posts each response
# or error. The root logger is set up as Lambda's Python runtime sets it: "[LEVEL]\ttimestamp\trequest id\tmessage",
# or JSON lines when AWS_LAMBDA_LOG_FORMAT is JSON, at AWS_LAMBDA_LOG_LEVEL.
import http.client
import importlib
import json
import logging
import os
import sys
import time
import traceback
from decimal import Decimal

API = os.environ["AWS_LAMBDA_RUNTIME_API"]
PREFIX = "/2018-06-01/runtime"
TASK_ROOT = os.environ["LAMBDA_TASK_ROOT"]
LOG_FORMAT = os.environ.get("AWS_LAMBDA_LOG_FORMAT", "Text").upper()
LOG_LEVEL = os.environ.get("AWS_LAMBDA_LOG_LEVEL", "").upper()
# Lambda's runtime writes the response as json.dumps does, numbers of decimal.Decimal (DynamoDB's) as floats; from
# python3.12 on it leaves non-ASCII characters as they are.
VERSION = tuple(int(part) for part in os.environ.get("AWS_EXECUTION_ENV", "")
                .replace("AWS_Lambda_python", "").split(".")[:2] if part.isdigit()) or sys.version_info[:2]
ENSURE_ASCII = VERSION < (3, 12)
LEVELS = {"TRACE": logging.DEBUG, "DEBUG": logging.DEBUG, "INFO": logging.INFO, "WARN": logging.WARNING,
          "ERROR": logging.ERROR, "FATAL": logging.CRITICAL}

request_id = ""


class Connection:
    def __init__(self):
        host, _, port = API.rpartition(":")
        self.host, self.port = host, int(port)
        self.connection = None

    def request(self, method, path, body=None, headers=None):
        for attempt in (1, 2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection(self.host, self.port)
            try:
                self.connection.request(method, PREFIX + path, body=body, headers=headers or {})
                response = self.connection.getresponse()
                return response, response.read()
            except (http.client.HTTPException, OSError):
                self.connection.close()
                self.connection = None
                if attempt == 2:
                    raise


API_CONNECTION = Connection()


class Context:
    def __init__(self, headers):
        self.function_name = os.environ["AWS_LAMBDA_FUNCTION_NAME"]
        self.function_version = os.environ["AWS_LAMBDA_FUNCTION_VERSION"]
        self.invoked_function_arn = headers.get("lambda-runtime-invoked-function-arn")
        self.memory_limit_in_mb = os.environ["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"]
        self.aws_request_id = headers.get("lambda-runtime-aws-request-id")
        self.log_group_name = os.environ["AWS_LAMBDA_LOG_GROUP_NAME"]
        self.log_stream_name = os.environ["AWS_LAMBDA_LOG_STREAM_NAME"]
        self.identity = None
        self.client_context = None
        self._deadline_ms = int(headers.get("lambda-runtime-deadline-ms", "0"))

    def get_remaining_time_in_millis(self):
        return max(0, self._deadline_ms - int(time.time() * 1000))


class RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.aws_request_id = request_id
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record):
        entry = {
            "timestamp": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
                         + ".%03dZ" % record.msecs,
            "level": record.levelname,
            "message": record.getMessage(),
            "logger": record.name,
            "requestId": request_id,
        }
        if record.exc_info:
            kind, value, trace = record.exc_info
            entry.update(errorType=kind.__name__, errorMessage=str(value),
                         stackTrace=traceback.format_tb(trace))
        return json.dumps(entry, default=str)


def set_up_logging():
    handler = logging.StreamHandler(sys.stdout)
    if LOG_FORMAT == "JSON":
        handler.setFormatter(JsonFormatter())
    else:
        formatter = logging.Formatter(
            "[%(levelname)s]\t%(asctime)s.%(msecs)03dZ\t%(aws_request_id)s\t%(message)s", "%Y-%m-%dT%H:%M:%S")
        formatter.converter = time.gmtime
        handler.setFormatter(formatter)
    handler.addFilter(RequestIdFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    if LOG_LEVEL in LEVELS:
        # On the handler as well: Lambda's level filters whatever level the code sets on its loggers.
        handler.setLevel(LEVELS[LOG_LEVEL])
        root.setLevel(LEVELS[LOG_LEVEL])
    elif LOG_FORMAT == "JSON":
        root.setLevel(logging.INFO)


def error_body(kind, message, stack=None):
    return json.dumps({"errorMessage": message, "errorType": kind, "requestId": request_id,
                       "stackTrace": stack or []}).encode()


def post_error(path, kind, message, stack=None):
    flush()
    API_CONNECTION.request("POST", path, error_body(kind, message, stack),
                           {"Lambda-Runtime-Function-Error-Type": kind, "Content-Type": "application/json"})


def flush():
    sys.stdout.flush()
    sys.stderr.flush()


def log_exception(e, trace):
    if LOG_FORMAT == "JSON":
        print(json.dumps({"timestamp": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "level": "ERROR",
                          "message": str(e), "errorType": type(e).__name__, "errorMessage": str(e),
                          "requestId": request_id, "stackTrace": trace}))
    else:
        print("[ERROR] %s: %s\nTraceback (most recent call last):\n%s"
              % (type(e).__name__, e, "".join(trace).rstrip("\n")), file=sys.stdout)


def decimal_float(value):
    if isinstance(value, Decimal):
        return float(value)
    raise TypeError("Object of type %s is not JSON serializable" % type(value).__name__)


def load_handler():
    handler = os.environ["_HANDLER"]
    module_name, _, function_name = handler.rpartition(".")
    try:
        module = importlib.import_module(module_name.replace("/", "."))
    except Exception as e:  # noqa: BLE001 - reported as Lambda reports it
        message = "Unable to import module '%s': %s" % (module_name, e)
        print("[ERROR] Runtime.ImportModuleError: " + message)
        post_error("/init/error", "Runtime.ImportModuleError", message)
        sys.exit(1)
    function = getattr(module, function_name, None)
    if function is None:
        message = "Handler '%s' missing on module '%s'" % (function_name, module_name)
        print("[ERROR] Runtime.HandlerNotFound: " + message)
        post_error("/init/error", "Runtime.HandlerNotFound", message)
        sys.exit(1)
    return function


def run(function):
    global request_id
    while True:
        response, body = API_CONNECTION.request("GET", "/invocation/next")
        if response.status != 200:
            sys.exit(0)
        headers = {name.lower(): value for name, value in response.getheaders()}
        request_id = headers.get("lambda-runtime-aws-request-id", "")
        trace = headers.get("lambda-runtime-trace-id")
        if trace:
            os.environ["_X_AMZN_TRACE_ID"] = trace
        path = "/invocation/%s" % request_id
        try:
            event = json.loads(body.decode("utf-8")) if body else {}
            result = function(event, Context(headers))
        except Exception as e:  # noqa: BLE001
            stack = traceback.format_list(traceback.extract_tb(e.__traceback__)[1:])
            log_exception(e, stack)
            post_error(path + "/error", type(e).__name__, str(e), [line.rstrip("\n") for line in stack])
            continue
        # Strict JSON, as the response must be: NaN and Infinity are not JSON (json.dumps would write them as it is).
        try:
            answer = json.dumps(result, allow_nan=False, ensure_ascii=ENSURE_ASCII, default=decimal_float).encode("utf-8")
        except (TypeError, ValueError, RecursionError) as e:
            post_error(path + "/error", "Runtime.MarshalError", "Unable to marshal response: %s" % e)
            continue
        flush()
        API_CONNECTION.request("POST", path + "/response", answer, {"Content-Type": "application/json"})


def main():
    # The script's own folder is not the handler's: the task root comes first, as on Lambda.
    sys.path[0] = TASK_ROOT
    sys.stdout.reconfigure(line_buffering=True)
    sys.stderr.reconfigure(line_buffering=True)
    set_up_logging()
    run(load_handler())


if __name__ == "__main__":
    main()
