# The handler: prints a log line and answers with the event it received.
handler () {
  EVENT_DATA=$1
  echo "handling $EVENT_DATA" 1>&2
  echo "{\"received\": $EVENT_DATA, \"runtime\": \"${AWS_EXECUTION_ENV#AWS_Lambda_}\"}"
}
