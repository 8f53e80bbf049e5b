package client

import (
	"context"
	"fmt"
	"sync"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/credentials/insecure"

	pb "github.com/dialtone-dev/terraform-provider-dialtone/internal/dialtonev1"
)

// Clock is time as the client sees it: tests pass a fake one.
type Clock interface {
	Now() time.Time
	// Sleep waits d or until ctx is done (then it returns ctx's error).
	Sleep(ctx context.Context, d time.Duration) error
}

// SystemClock is the real one.
type SystemClock struct{}

// Now is time.Now.
func (SystemClock) Now() time.Time { return time.Now() }

// Sleep waits d or until ctx is done.
func (SystemClock) Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// UserAgent goes with every call, so a replica's log can tell the provider's calls apart.
var UserAgent = "terraform-provider-dialtone"

const (
	// probeTimeout bounds one endpoint's GetStatus while looking for an answer or the leader,
	// so a black-holed endpoint does not eat the whole operation's timeout.
	probeTimeout = 5 * time.Second
	firstBackoff = 200 * time.Millisecond
	maxBackoff   = 2 * time.Second
)

// Client calls a deployment's replicas. It is safe for concurrent use.
type Client struct {
	endpoints []string
	timeout   time.Duration
	clock     Clock
	dial      []grpc.DialOption

	mu     sync.Mutex
	conns  map[string]*grpc.ClientConn
	leader string // endpoint of the last replica seen leading
}

// New prepares connections (opened lazily, on first call) to every endpoint.
func New(r Resolved, clock Clock) (*Client, error) {
	if clock == nil {
		clock = SystemClock{}
	}
	var creds credentials.TransportCredentials
	if r.Plaintext {
		if r.token != "" {
			return nil, fmt.Errorf("plaintext would send the bearer token in the clear")
		}
		creds = insecure.NewCredentials()
	} else {
		creds = credentials.NewTLS(ReplicaTLSConfig(r.TrustDomain, r.CA, r.Certificate))
	}
	dial := []grpc.DialOption{grpc.WithTransportCredentials(creds), grpc.WithUserAgent(UserAgent)}
	if r.token != "" {
		dial = append(dial, grpc.WithPerRPCCredentials(bearer{token: r.token}))
	}
	return &Client{endpoints: r.Endpoints, timeout: r.Timeout, clock: clock, dial: dial, conns: map[string]*grpc.ClientConn{}}, nil
}

// Close closes every connection.
func (c *Client) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	for e, conn := range c.conns {
		_ = conn.Close()
		delete(c.conns, e)
	}
	return nil
}

// Timeout is the bound of one operation.
func (c *Client) Timeout() time.Duration { return c.timeout }

// Clock is the client's clock, for callers that poll.
func (c *Client) Clock() Clock { return c.clock }

func (c *Client) admin(endpoint string) (pb.AdminServiceClient, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	conn, ok := c.conns[endpoint]
	if !ok {
		var err error
		conn, err = grpc.NewClient(endpoint, c.dial...)
		if err != nil {
			return nil, err
		}
		c.conns[endpoint] = conn
	}
	return pb.NewAdminServiceClient(conn), nil
}

// order is the endpoints with the last known leader first.
func (c *Client) order() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]string, 0, len(c.endpoints))
	if c.leader != "" {
		out = append(out, c.leader)
	}
	for _, e := range c.endpoints {
		if e != c.leader {
			out = append(out, e)
		}
	}
	return out
}

func (c *Client) setLeader(endpoint string) {
	c.mu.Lock()
	c.leader = endpoint
	c.mu.Unlock()
}

func (c *Client) bounded(ctx context.Context) (context.Context, context.CancelFunc) {
	if _, ok := ctx.Deadline(); ok {
		return context.WithCancel(ctx)
	}
	return context.WithTimeout(ctx, c.timeout)
}

func (c *Client) probe(ctx context.Context, endpoint string) (*pb.GetStatusResponse, error) {
	a, err := c.admin(endpoint)
	if err != nil {
		return nil, err
	}
	pctx, cancel := context.WithTimeout(ctx, probeTimeout)
	defer cancel()
	return a.GetStatus(pctx, &pb.GetStatusRequest{})
}

// Status is GetStatus from the first replica that answers, the last known leader first. Any
// replica will do for reads; callers that need the leader's own view use LeaderStatus.
func (c *Client) Status(ctx context.Context) (*pb.GetStatusResponse, error) {
	ctx, cancel := c.bounded(ctx)
	defer cancel()
	var failures []EndpointError
	for _, e := range c.order() {
		st, err := c.probe(ctx, e)
		if err == nil {
			if st.GetLeaderId() != "" && st.GetLeaderId() == st.GetReplicaId() {
				c.setLeader(e)
			}
			return st, nil
		}
		failures = append(failures, EndpointError{Endpoint: e, Err: err})
	}
	return nil, &NoReplicaError{Failures: failures}
}

// LeaderStatus asks each endpoint in turn for GetStatus and returns the leader's answer (the
// replica whose replica_id equals its leader_id) and its endpoint.
func (c *Client) LeaderStatus(ctx context.Context) (*pb.GetStatusResponse, string, error) {
	ctx, cancel := c.bounded(ctx)
	defer cancel()
	var views []string
	var failures []EndpointError
	for _, e := range c.order() {
		st, err := c.probe(ctx, e)
		if err != nil {
			failures = append(failures, EndpointError{Endpoint: e, Err: err})
			continue
		}
		if st.GetLeaderId() != "" && st.GetLeaderId() == st.GetReplicaId() {
			c.setLeader(e)
			return st, e, nil
		}
		if st.GetLeaderId() == "" {
			views = append(views, fmt.Sprintf("%s (%s) knows no leader", st.GetReplicaId(), e))
		} else {
			views = append(views, fmt.Sprintf("%s (%s) says the leader is %s", st.GetReplicaId(), e, st.GetLeaderId()))
		}
	}
	c.setLeader("")
	if len(views) == 0 {
		return nil, "", &NoReplicaError{Failures: failures}
	}
	return nil, "", &NoLeaderError{Views: views, Failures: failures}
}

// Mutate runs call against the leader. A non-leader's FAILED_PRECONDITION ("is not the leader",
// "leadership changed during the call"), an unknown leader or an unreachable replica makes it
// re-discover the leader and retry, with backoff, until the operation's timeout; any other
// error (a safety rule, a role, a bad request) is returned at once.
func (c *Client) Mutate(ctx context.Context, action string, call func(context.Context, pb.AdminServiceClient) error) error {
	ctx, cancel := c.bounded(ctx)
	defer cancel()
	backoff := firstBackoff
	var last error // the newest error not caused by the deadline itself
	for attempt := 1; ; attempt++ {
		_, endpoint, err := c.LeaderStatus(ctx)
		if err == nil {
			var a pb.AdminServiceClient
			if a, err = c.admin(endpoint); err == nil {
				if err = call(ctx, a); err == nil {
					return nil
				}
			}
			if Classify(err) == Permanent {
				return err
			}
			c.setLeader("")
		}
		if last == nil || (ctx.Err() == nil && !deadlineOnly(err)) {
			last = err
		}
		if ctx.Err() != nil || c.clock.Sleep(ctx, backoff) != nil {
			return &GaveUpError{Action: action, Attempts: attempt, Last: last}
		}
		backoff = min(2*backoff, maxBackoff)
	}
}

// History is ListHistory from any replica, newest first, up to max entries over pages.
func (c *Client) History(ctx context.Context, max int) ([]*pb.HistoryEntry, error) {
	ctx, cancel := c.bounded(ctx)
	defer cancel()
	var failures []EndpointError
	for _, e := range c.order() {
		a, err := c.admin(e)
		if err != nil {
			failures = append(failures, EndpointError{Endpoint: e, Err: err})
			continue
		}
		var out []*pb.HistoryEntry
		token := ""
		for len(out) < max {
			page := min(max-len(out), 500)
			resp, err := a.ListHistory(ctx, &pb.ListHistoryRequest{PageSize: uint32(page), PageToken: token})
			if err != nil {
				failures = append(failures, EndpointError{Endpoint: e, Err: err})
				out = nil
				break
			}
			out = append(out, resp.GetEntries()...)
			if token = resp.GetNextPageToken(); token == "" {
				return out, nil
			}
		}
		if out != nil {
			return out, nil
		}
	}
	return nil, &NoReplicaError{Failures: failures}
}

// bearer sends "authorization: Bearer <token>" with every call, over TLS only.
type bearer struct{ token string }

func (b bearer) GetRequestMetadata(context.Context, ...string) (map[string]string, error) {
	return map[string]string{"authorization": "Bearer " + b.token}, nil
}

func (bearer) RequireTransportSecurity() bool { return true }

// String never shows the token.
func (bearer) String() string { return "bearer token (redacted)" }
