import os


def hello_handler(event, context):
    """Returns a greeting built from the event's firstname and surname."""
    name = f"{event['firstname']} {event['surname']}"
    print(f"greeting {name} (request {context.aws_request_id})")
    return {"message": f"{os.environ.get('GREETING', 'Hello')} {name}!"}
