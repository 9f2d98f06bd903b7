"""Behavioural equivalent of the blog's Python Lambda (cloudwatch-alarm-to-slack blueprint), for the
notifier benchmark: imports boto3 and creates the KMS client at init as the blog does, but reads the
webhook from SLACK_WEBHOOK_URL instead of calling KMS (there is no AWS account here). Reads only the first
SNS record and posts "<name> state is now <state>: <reason>"."""
import json
import os
import sys
import time
import resource
from urllib.request import Request, urlopen

started = time.perf_counter()
import boto3  # noqa: E402  (the blog's init cost)

kms = boto3.client("kms", region_name="us-east-2")
HOOK_URL = os.environ["SLACK_WEBHOOK_URL"]
init_done = time.perf_counter()


def handler(event):
    message = json.loads(event["Records"][0]["Sns"]["Message"])
    text = "%s state is now %s: %s" % (message["AlarmName"], message["NewStateValue"], message["NewStateReason"])
    body = json.dumps({"text": text}).encode("utf-8")
    urlopen(Request(HOOK_URL, body, {"Content-Type": "application/json"})).read()


event = json.loads(os.environ["EVENT"])
handler(event)
done = time.perf_counter()
rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"importMs": (init_done - started) * 1000, "firstInvokeMs": (done - init_done) * 1000, "totalMs": (done - started) * 1000, "rssMb": rss_mb}))
sys.stdout.flush()
