"""Request filters, as aiohttp middlewares, in the order a request meets them (k8s.io/apiserver
pkg/endpoints/filters): errors → request info → authentication → authorization → handler.
Each adds what it learns to the request's one typed `RequestContext`."""
