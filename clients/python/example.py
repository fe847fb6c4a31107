"""Appends to a bank account from Python: python3 example.py [CONNECTION_FILE]

CONNECTION_FILE is what `./eventstore local` writes (default ~/.eventstore/local.properties).
"""

import os
import sys
import uuid

from eventstore_client import NO_STREAM, AppendClient, Event, WrongExpectedVersion, exact

DEPOSITED = ('{"type": "record", "name": "PyMoneyDeposited", "namespace": "example.python",'
             ' "fields": [{"name": "amount", "type": "long"}]}')


def read_connection(path):
    with open(path) as lines:
        return dict(line.strip().split("=", 1) for line in lines if "=" in line and not line.startswith("#"))


def main():
    settings = read_connection(sys.argv[1] if len(sys.argv) > 1 else os.path.expanduser("~/.eventstore/local.properties"))
    account = "Account-py-" + uuid.uuid4().hex[:8]
    with AppendClient(settings["kafka.bootstrap.servers"], settings["schema.registry.url"]) as client:
        first = client.append(account, NO_STREAM, [Event("PyMoneyDeposited", {"amount": 100}, DEPOSITED)]).result()
        print("%s: versions %d-%d" % (account, first.first_version, first.last_version))

        # Many appends in flight: each append() returns a future at once.
        futures = [client.append(account, exact(version), [Event("PyMoneyDeposited", {"amount": 10}, DEPOSITED)])
                   for version in range(1, 4)]
        for future in futures:
            print("appended at version %d" % future.result().last_version)

        try:
            client.append(account, exact(1), [Event("PyMoneyDeposited", {"amount": 5}, DEPOSITED)]).result()
        except WrongExpectedVersion as conflict:
            print("refused: %s" % conflict)


if __name__ == "__main__":
    main()
