import json
import os


def handler(event, context):
    """Validates an order and returns it as created."""
    order = {"sku": event["sku"], "quantity": int(event.get("quantity", 1))}
    print(json.dumps({"level": os.environ["LOG_LEVEL"], "msg": "order created", "stage": os.environ["STAGE"]}))
    return {"status": "created", "order": order}
