package io.lambdaform.cli;

/** The output formats of invoke and logs: text for people, json for machines. */
enum TextOrJson {
    text,
    json
}
