module github.com/sxweb/sxweb

go 1.26.8

require (
	github.com/coder/websocket v1.8.15
	github.com/hack-pad/safejs v0.1.1
	github.com/syumai/workers v0.32.0
	go.etcd.io/bbolt v1.4.3
	golang.org/x/crypto v0.45.0
)

require (
	github.com/google/uuid v1.6.0 // indirect
	golang.org/x/sys v0.38.0 // indirect
)
