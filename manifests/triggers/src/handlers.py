"""Handlers of the triggers example: each reads the event its trigger sends, as on Lambda."""
import json


def on_upload(event, context):
    """S3: an object landed under incoming/."""
    s3 = event["Records"][0]["s3"]
    key = s3["object"]["key"]
    return {"bucket": s3["bucket"]["name"], "key": key, "thumbnail": "thumbnails/" + key.split("/", 1)[-1]}


def on_jobs(event, context):
    """SQS: a batch of messages; those that fail are reported, so that only they come back."""
    failures = [{"itemIdentifier": m["messageId"]} for m in event["Records"] if m["body"] == "fail"]
    return {"batchItemFailures": failures}


def on_alert(event, context):
    """SNS: a notification of the topic."""
    sns = event["Records"][0]["Sns"]
    return {"topic": sns["TopicArn"].split(":")[-1], "message": sns["Message"]}


def nightly(event, context):
    """EventBridge: the scheduled event."""
    return {"source": event["source"], "detailType": event["detail-type"]}


def web(event, context):
    """A function URL: an HTTP request in (payload format 2.0), an HTTP response out."""
    http = event["requestContext"]["http"]
    print(http["method"], event["rawPath"])
    body = {"method": http["method"], "path": event["rawPath"], "query": event.get("queryStringParameters", {})}
    return {"statusCode": 200, "headers": {"content-type": "application/json"}, "body": json.dumps(body)}
