# ruff: noqa: E501
# kubectl output, AWS CLI JSON and zap log lines are data, kept whole on one line.
"""Kubernetes on EKS: invoice-export was moved from namespace `billing` to `billing-exports` by an
Argo CD application split at 15:40 Sydney time (05:40 UTC). Its ServiceAccount kept the same
IRSA role annotation, but the role's trust policy only allows the subject
`system:serviceaccount:billing:invoice-export`, so STS refuses AssumeRoleWithWebIdentity for the
new subject and every S3 upload of the nightly invoice export fails with AccessDenied. Decoys:
an S3 SlowDown retry, an Argo CD OutOfSync warning for another app, and a slow DNS lookup."""

import json
import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from kube import event_listing, routine_events
from records import Zap
from scenes import at, fixed, loud
from traffic import traffic, worker

START = datetime(2026, 7, 19, 4, 50, tzinfo=UTC)
NOW = datetime(2026, 7, 19, 7, 20, tzinfo=UTC)
MOVE = 50.0  # 05:40 UTC, 15:40 AEST
ROLE = "arn:aws:iam::584120937716:role/billing-invoice-export"
OIDC = "oidc.eks.ap-southeast-2.amazonaws.com/id/5E7C2B1A9F04D3E86B1C7A20F9D4E351"
NODES = [
    "ip-10-64-12-9.ap-southeast-2.compute.internal",
    "ip-10-64-13-140.ap-southeast-2.compute.internal",
    "ip-10-64-14-71.ap-southeast-2.compute.internal",
]
CALLERS = (
    "export/runner.go:118",
    "export/upload.go:64",
    "export/queue.go:92",
    "awsauth/creds.go:41",
)


def bundle() -> Bundle:
    rng = random.Random(6079)
    total = (NOW - START).total_seconds() / 60

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    log = LogFile("logs/invoice-export.log", Zap(CALLERS, rng=rng))
    log.add(
        traffic(
            rng,
            worker("invoice-export", ["invoices.closed", "invoices.reissued"]),
            START,
            total,
            4100,
        )
    )
    log.add(
        [
            at(
                START,
                9.3,
                "WARN",
                "s3 PutObject billing-exports-prod/2026/07/19/batch-0412.csv: SlowDown: Please reduce your request rate, retry 1/4 succeeded",
                logger="export/upload.go:64",
            ),
            at(
                START,
                31.7,
                "WARN",
                "lookup sqs.ap-southeast-2.amazonaws.com took 2.8s (resolver 172.20.0.10:53)",
                logger="export/queue.go:92",
            ),
            at(
                START,
                MOVE + 1.2,
                "INFO",
                f"aws credentials: web identity provider role={ROLE} subject=system:serviceaccount:billing-exports:invoice-export token=/var/run/secrets/eks.amazonaws.com/serviceaccount/token",
                logger="awsauth/creds.go:41",
            ),
        ]
    )
    denied = fixed(
        "ERROR",
        lambda r: (
            f"upload invoice batch {r.randrange(400, 900):04d} failed: operation error S3: PutObject, get identity: get credentials: failed to refresh cached credentials, failed to retrieve credentials, operation error STS: AssumeRoleWithWebIdentity, https response error StatusCode: 403, RequestID: {r.getrandbits(128):032x}, api error AccessDenied: Not authorized to perform sts:AssumeRoleWithWebIdentity"
        ),
    )
    log.add(loud(rng, START, MOVE + 2, total - MOVE - 3, 380, denied))
    log.add(
        loud(
            rng,
            START,
            MOVE + 2,
            total - MOVE - 3,
            140,
            fixed(
                "WARN",
                lambda r: (
                    f"batch {r.randrange(400, 900):04d} requeued, attempt {r.randrange(2, 6)}/5"
                ),
            ),
        )
    )

    sa = "\n".join(
        [
            "$ kubectl -n billing-exports get serviceaccount invoice-export -o yaml",
            "apiVersion: v1",
            "kind: ServiceAccount",
            "metadata:",
            "  annotations:",
            f"    eks.amazonaws.com/role-arn: {ROLE}",
            '    eks.amazonaws.com/sts-regional-endpoints: "true"',
            '  creationTimestamp: "2026-07-19T05:40:22Z"',
            "  labels:",
            "    app.kubernetes.io/instance: billing-exports",
            "    argocd.argoproj.io/instance: billing-exports",
            "  name: invoice-export",
            "  namespace: billing-exports",
            "",
            "$ kubectl -n billing get serviceaccount invoice-export",
            'Error from server (NotFound): serviceaccounts "invoice-export" not found',
            "",
            "$ kubectl -n billing-exports get pods -l app=invoice-export -o wide",
            "NAME                              READY   STATUS    RESTARTS   AGE   IP             NODE                                              NOMINATED NODE   READINESS GATES",
            f"invoice-export-7d5c9b8f64-l2xkp   1/1     Running   0          100m  10.64.13.201   {NODES[1]}   <none>           <none>",
            "",
        ]
    )

    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Federated": f"arn:aws:iam::584120937716:oidc-provider/{OIDC}"},
                "Action": "sts:AssumeRoleWithWebIdentity",
                "Condition": {
                    "StringEquals": {
                        f"{OIDC}:sub": "system:serviceaccount:billing:invoice-export",
                        f"{OIDC}:aud": "sts.amazonaws.com",
                    }
                },
            }
        ],
    }
    event = {
        "eventTime": "2026-07-19T06:51:37Z",
        "eventSource": "sts.amazonaws.com",
        "eventName": "AssumeRoleWithWebIdentity",
        "awsRegion": "ap-southeast-2",
        "sourceIPAddress": "13.54.201.17",
        "userAgent": "aws-sdk-go-v2/1.30.3 os/linux lang/go#1.22.5 md/GOOS#linux md/GOARCH#arm64 api/sts#1.30.3",
        "userIdentity": {
            "type": "WebIdentityUser",
            "principalId": f"arn:aws:iam::584120937716:oidc-provider/{OIDC}:sts.amazonaws.com:system:serviceaccount:billing-exports:invoice-export",
            "userName": "system:serviceaccount:billing-exports:invoice-export",
            "identityProvider": f"arn:aws:iam::584120937716:oidc-provider/{OIDC}",
        },
        "errorCode": "AccessDenied",
        "errorMessage": "An unknown error occurred",
        "requestParameters": {"roleArn": ROLE, "roleSessionName": "1784438400147216325"},
    }
    aws = "\n".join(
        [
            "$ aws iam get-role --role-name billing-invoice-export --query Role.AssumeRolePolicyDocument",
            json.dumps(trust, indent=4),
            "",
            "$ aws cloudtrail lookup-events --lookup-attributes AttributeKey=EventName,AttributeValue=AssumeRoleWithWebIdentity --max-items 1 --query 'Events[0].CloudTrailEvent' --output text | jq .",
            json.dumps(event, indent=2),
            "",
        ]
    )

    routine = routine_events(
        rng, ["invoice-export", "statement-mailer"], 14, NODES, namespace="billing-exports"
    )
    signal = [
        (
            ago(MOVE),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/invoice-export",
                "Scaled up replica set invoice-export-7d5c9b8f64 to 1",
            ),
        ),
        (
            ago(MOVE + 0.2),
            (
                "Normal",
                "Scheduled",
                "pod/invoice-export-7d5c9b8f64-l2xkp",
                f"Successfully assigned billing-exports/invoice-export-7d5c9b8f64-l2xkp to {NODES[1]}",
            ),
        ),
        (
            ago(44.0),
            (
                "Warning",
                "OutOfSync",
                "application/ledger-reports",
                "Application ledger-reports is OutOfSync: 2 resources differ (ConfigMap/ledger-reports-env, Deployment/ledger-reports)",
            ),
        ),
    ]
    events = "$ kubectl -n billing-exports get events --sort-by=.lastTimestamp\n" + event_listing(
        routine, signal
    )

    argocd = "\n".join(
        [
            "$ argocd app history billing-exports",
            "ID  DATE                           REVISION",
            "0   2026-07-19 15:40:09 +1000 AEST  (b3f19d2) split invoice-export into its own namespace (billing-exports)",
            "$ argocd app history billing | tail -2",
            "41  2026-07-12 10:02:44 +1000 AEST  (7e2ac41)",
            "42  2026-07-19 15:40:11 +1000 AEST  (b3f19d2) split invoice-export into its own namespace (billing-exports)",
            "",
        ]
    )

    return Bundle(
        question="Finance says tonight's invoice export never reached the S3 bucket: every upload since about 15:42 Sydney time fails with AccessDenied. Nothing changed in the bucket policy. Why?",
        category="permission",
        component="invoice-export",
        statement="invoice-export moved from namespace billing to billing-exports at 15:40 AEST, but the IRSA role billing-invoice-export trusts only the subject system:serviceaccount:billing:invoice-export, so STS refuses AssumeRoleWithWebIdentity for the new subject and every S3 upload fails with AccessDenied.",
        files={
            "logs/invoice-export.log": log.render(),
            "kubectl-invoice-export-sa.txt": sa,
            "aws-iam-cloudtrail.txt": aws,
            "kubectl-get-events.txt": events,
            "argocd-history.txt": argocd,
        },
        proofs=[
            Proof("aws-iam-cloudtrail.txt", '"system:serviceaccount:billing:invoice-export"'),
            Proof("kubectl-invoice-export-sa.txt", "  namespace: billing-exports"),
            Proof("aws-iam-cloudtrail.txt", '"errorCode": "AccessDenied"'),
        ],
        decoys=[
            "SlowDown: Please reduce your request rate",
            "Application ledger-reports is OutOfSync",
            "lookup sqs.ap-southeast-2.amazonaws.com took 2.8s",
        ],
    )
