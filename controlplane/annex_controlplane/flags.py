"""Command lines for etcd, kube-apiserver and kube-controller-manager, configured like a real
cluster for aggregation."""

from __future__ import annotations

from pathlib import Path

from annex_controlplane.pki import FRONT_PROXY_CLIENT_NAME, SERVICE_CLUSTER_IP_RANGE, Pki
from annex_controlplane.ports import LOOPBACK

SERVICE_ACCOUNT_ISSUER = "https://kubernetes.default.svc.cluster.local"
# What an aggregated API needs from the controller manager: the garbage collector (ownerReferences,
# foreground and background cascading deletion) and the namespace controller (deleting a
# namespace deletes what is in it). Aliases of garbage-collector-controller and
# namespace-controller, which are the names /healthz reports them under.
CONTROLLERS = ("garbagecollector", "namespace")
CONTROLLER_HEALTHZ_NAMES = ("garbage-collector-controller", "namespace-controller")


def etcd_args(
    etcd: Path, data_dir: Path, client_port: int, peer_port: int, *, fsync: bool = False
) -> list[str]:
    """`fsync`: etcd syncs its WAL at every commit, as in a real cluster. Off by default: a
    throwaway store, where durability buys nothing and fsync makes tests slow; benchmarks
    that compare a write with the gateway's (whose SQLite commits are synced) turn it on."""
    client_url = f"http://{LOOPBACK}:{client_port}"
    peer_url = f"http://{LOOPBACK}:{peer_port}"
    return [
        str(etcd),
        "--name=kube-annex",
        f"--data-dir={data_dir}",
        f"--listen-client-urls={client_url}",
        f"--advertise-client-urls={client_url}",
        f"--listen-peer-urls={peer_url}",
        f"--initial-advertise-peer-urls={peer_url}",
        f"--initial-cluster=kube-annex={peer_url}",
        "--initial-cluster-state=new",
        *([] if fsync else ["--unsafe-no-fsync"]),
        "--log-level=warn",
        "--log-outputs=stderr",
    ]


def apiserver_args(kube_apiserver: Path, pki: Pki, etcd_url: str, port: int) -> list[str]:
    return [
        str(kube_apiserver),
        f"--etcd-servers={etcd_url}",
        f"--bind-address={LOOPBACK}",
        f"--advertise-address={LOOPBACK}",
        # Endpoints may not hold loopback addresses, so the `kubernetes` Service gets none.
        "--endpoint-reconciler-type=none",
        f"--secure-port={port}",
        f"--tls-cert-file={pki.apiserver.cert}",
        f"--tls-private-key-file={pki.apiserver.key}",
        f"--client-ca-file={pki.ca.cert}",
        f"--service-account-key-file={pki.service_account_public_key}",
        f"--service-account-signing-key-file={pki.service_account_key}",
        f"--service-account-issuer={SERVICE_ACCOUNT_ISSUER}",
        f"--api-audiences={SERVICE_ACCOUNT_ISSUER}",
        f"--service-cluster-ip-range={SERVICE_CLUSTER_IP_RANGE}",
        "--authorization-mode=Node,RBAC",
        # The aggregation layer, as kubeadm sets it up.
        f"--requestheader-client-ca-file={pki.front_proxy_ca.cert}",
        f"--requestheader-allowed-names={FRONT_PROXY_CLIENT_NAME}",
        "--requestheader-username-headers=X-Remote-User",
        "--requestheader-group-headers=X-Remote-Group",
        "--requestheader-extra-headers-prefix=X-Remote-Extra-",
        f"--proxy-client-cert-file={pki.front_proxy_client.cert}",
        f"--proxy-client-key-file={pki.front_proxy_client.key}",
        # The default resolver dials an ExternalName Service at <externalName>:<port>, which
        # is how a gateway running as a local process (externalName: localhost) is reached.
        "--enable-aggregator-routing=false",
    ]


def controller_manager_args(
    kube_controller_manager: Path, pki: Pki, kubeconfig: Path, port: int
) -> list[str]:
    """Only the controllers in CONTROLLERS, as the admin, on a loopback port for /healthz."""
    return [
        str(kube_controller_manager),
        f"--kubeconfig={kubeconfig}",
        f"--controllers={','.join(CONTROLLERS)}",
        # One instance: no Lease to acquire, so controllers start at once.
        "--leader-elect=false",
        # Every controller uses the admin credentials of --kubeconfig instead of a token of its
        # own ServiceAccount, which the (disabled) serviceaccount-token controller would mint.
        "--use-service-account-credentials=false",
        # What kubeadm passes. With a key, kcm also runs the serviceaccount-token controller
        # whatever --controllers says (it fills only legacy token Secrets someone creates);
        # the root CA goes into those Secrets.
        f"--service-account-private-key-file={pki.service_account_key}",
        f"--root-ca-file={pki.ca.cert}",
        # Secure serving for /healthz, which the start waits on. The apiserver's serving
        # certificate covers 127.0.0.1 and chains to the cluster CA, so the readiness probe
        # verifies it as it does kube-apiserver (kcm would otherwise make a self-signed one).
        f"--bind-address={LOOPBACK}",
        f"--secure-port={port}",
        f"--tls-cert-file={pki.apiserver.cert}",
        f"--tls-private-key-file={pki.apiserver.key}",
        # Delegated authentication and authorization through kube-apiserver as the admin.
        # The cluster CA is given directly, so reading the extension-apiserver-authentication
        # ConfigMap is skipped; the admin (system:masters) is always allowed, as are /healthz,
        # /readyz and /livez (the default --authorization-always-allow-paths).
        f"--authentication-kubeconfig={kubeconfig}",
        f"--authorization-kubeconfig={kubeconfig}",
        f"--client-ca-file={pki.ca.cert}",
        "--authentication-skip-lookup",
    ]
