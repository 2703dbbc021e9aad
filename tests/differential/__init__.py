"""The schema differential suite: the same schemas served by CRDs and by ApiDefinitions in one
kube-apiserver, every case sent to both, every difference reported (see test_differential)."""
