# Lambdaform local cloud: runs one invocation of a Python handler, as Lambda's runtime would.
# Protocol: the event is read from the file named by _LF_EVENT; the outcome is written as JSON to _LF_RESULT.
# Everything the handler prints goes to stdout/stderr, which the local cloud keeps as the invocation's log.
import importlib
import json
import os
import sys
import time
import traceback


# The runner's own variables: read once, then removed so that the handler sees only the documented environment.
PROTOCOL = {name: os.environ.pop(name) for name in
            ("_LF_EVENT", "_LF_RESULT", "_LF_REQUEST_ID", "_LF_DEADLINE_MS", "_LF_FUNCTION_ARN")}


class Context:
    def __init__(self):
        self.function_name = os.environ["AWS_LAMBDA_FUNCTION_NAME"]
        self.function_version = os.environ["AWS_LAMBDA_FUNCTION_VERSION"]
        self.invoked_function_arn = PROTOCOL["_LF_FUNCTION_ARN"]
        self.memory_limit_in_mb = os.environ["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"]
        self.aws_request_id = PROTOCOL["_LF_REQUEST_ID"]
        self.log_group_name = os.environ["AWS_LAMBDA_LOG_GROUP_NAME"]
        self.log_stream_name = os.environ["AWS_LAMBDA_LOG_STREAM_NAME"]
        self.identity = None
        self.client_context = None
        self._deadline_ms = int(PROTOCOL["_LF_DEADLINE_MS"])

    def get_remaining_time_in_millis(self):
        return max(0, self._deadline_ms - int(time.time() * 1000))


def write(outcome):
    with open(PROTOCOL["_LF_RESULT"], "w", encoding="utf-8") as out:
        json.dump(outcome, out)


def error(error_type, message, stack=None):
    write({"error": {"errorMessage": message, "errorType": error_type, "requestId": PROTOCOL["_LF_REQUEST_ID"],
                     "stackTrace": stack or []}})


def main():
    handler = os.environ["_HANDLER"]
    module_name, _, function_name = handler.rpartition(".")
    task_root = os.environ["LAMBDA_TASK_ROOT"]
    sys.path.insert(0, task_root)
    try:
        module = importlib.import_module(module_name.replace("/", "."))
    except Exception as e:  # noqa: BLE001 - reported as Lambda reports it
        error("Runtime.ImportModuleError", "Unable to import module '%s': %s" % (module_name, e))
        return
    function = getattr(module, function_name, None)
    if function is None:
        error("Runtime.HandlerNotFound", "Handler '%s' missing on module '%s'" % (function_name, module_name))
        return
    with open(PROTOCOL["_LF_EVENT"], encoding="utf-8") as f:
        event = json.load(f)
    try:
        result = function(event, Context())
    except Exception as e:  # noqa: BLE001
        stack = traceback.format_list(traceback.extract_tb(e.__traceback__)[1:])
        traceback.print_exception(type(e), e, e.__traceback__.tb_next)
        error(type(e).__name__, str(e), [line.rstrip("\n") for line in stack])
        return
    # Strict JSON, as the response must be: NaN and Infinity are not JSON (json.dumps would write them as it is).
    try:
        response = json.dumps(result, allow_nan=False)
    except (TypeError, ValueError, RecursionError) as e:
        error("Runtime.MarshalError", "Unable to marshal response: %s" % e)
        return
    with open(PROTOCOL["_LF_RESULT"], "w", encoding="utf-8") as out:
        out.write('{"result": %s}' % response)


if __name__ == "__main__":
    main()
    sys.stdout.flush()
    sys.stderr.flush()
