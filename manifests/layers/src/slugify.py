import textkit


def handler(event, context):
    """Returns the slug of the event's title, made by the textkit layer."""
    title = event.get("title")
    if not title:
        print("a title is required")
        raise ValueError("a title is required")
    return {"slug": textkit.slug(title), "words": textkit.word_count(title)}
