"""The HTTP server under the application: connections whose protocol errors are answered as
Kubernetes `Status` objects, read timeouts on headers and bodies, early refusal of bodies over
the limit, and a bounded drain on stop — what kube-apiserver's net/http server and its
filters (secure_serving.go, genericapiserver.go graceful shutdown) do around its handlers."""
