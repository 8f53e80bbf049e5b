package client

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// Class says what to do about an error where it arises.
type Class int

const (
	// Permanent: the server refused or the request is wrong; retrying changes nothing.
	Permanent Class = iota
	// NotLeader: the replica is not (or stopped being) the leader; find the leader and retry.
	NotLeader
	// Transient: the replica could not be reached or is unavailable; retry within the deadline.
	Transient
)

func (c Class) String() string {
	switch c {
	case NotLeader:
		return "not-leader"
	case Transient:
		return "transient"
	default:
		return "permanent"
	}
}

// Classify sorts an admin call's error. Every admin mutation the provider makes is idempotent
// (register the same spec, drain, cancel a drain, deregister), so a retry is always safe.
func Classify(err error) Class {
	if err == nil {
		return Permanent
	}
	var nl *NoLeaderError
	var nr *NoReplicaError
	if errors.As(err, &nl) {
		return NotLeader
	}
	if errors.As(err, &nr) {
		return Transient
	}
	st, ok := status.FromError(err)
	if !ok {
		return Permanent
	}
	switch st.Code() {
	case codes.FailedPrecondition:
		if IsNotLeaderText(st.Message()) {
			return NotLeader
		}
		return Permanent
	case codes.Unavailable:
		return Transient
	default:
		return Permanent
	}
}

// IsNotLeaderText says whether a FAILED_PRECONDITION description is a replica's "not the
// leader" or "leadership changed during the call" answer rather than a safety rule.
func IsNotLeaderText(msg string) bool {
	return strings.Contains(msg, "is not the leader") || strings.Contains(msg, "leadership changed during the call")
}

// EndpointError is one endpoint's failure.
type EndpointError struct {
	Endpoint string
	Err      error
}

func (e EndpointError) String() string { return e.Endpoint + ": " + describeTransport(e.Err) }

// NoReplicaError: no endpoint answered; it lists every endpoint's error.
type NoReplicaError struct {
	Failures []EndpointError
}

func (e *NoReplicaError) Error() string {
	parts := make([]string, len(e.Failures))
	for i, f := range e.Failures {
		parts[i] = f.String()
	}
	return "no replica answered: " + strings.Join(parts, "; ")
}

// NoLeaderError: replicas answered but none is the leader (none known, or the leader is not
// among the endpoints, or it did not answer).
type NoLeaderError struct {
	Views    []string // "cp-2 (127.0.0.1:7002) says the leader is cp-1"
	Failures []EndpointError
}

func (e *NoLeaderError) Error() string {
	parts := append([]string{}, e.Views...)
	for _, f := range e.Failures {
		parts = append(parts, f.String())
	}
	return "no leader among the endpoints: " + strings.Join(parts, "; ")
}

// GaveUpError: a mutation kept meeting a non-leader or an unreachable replica until its deadline.
type GaveUpError struct {
	Action   string
	Attempts int
	Last     error
}

func (e *GaveUpError) Error() string {
	return fmt.Sprintf("%s: gave up after %d attempts within the timeout: %v", e.Action, e.Attempts, e.Last)
}

func (e *GaveUpError) Unwrap() error { return e.Last }

// describeTransport shortens gRPC's connection errors to what an operator can act on.
func describeTransport(err error) string {
	if st, ok := status.FromError(err); ok {
		msg := st.Message()
		switch {
		case strings.Contains(msg, "not a replica"):
			i := strings.Index(msg, "server certificate names")
			if i >= 0 {
				return "refused the server's identity: " + strings.TrimRight(msg[i:], "\"")
			}
		case strings.Contains(msg, "x509svid:") || strings.Contains(msg, "certificate"):
			return "TLS: " + msg
		}
		return st.Code().String() + ": " + msg
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return "no answer before the timeout"
	}
	return err.Error()
}

// Explain turns an error of action (e.g. "register region ap-south") into a diagnostic's
// summary and detail: why it was refused and what to do. Nothing here carries the token: the
// server never echoes it and the client never puts it in an error.
func Explain(action string, err error) (summary, detail string) {
	var gave *GaveUpError
	if errors.As(err, &gave) {
		s, d := Explain(action, gave.Last)
		return s, d + fmt.Sprintf("\n\nThe provider retried %d times (re-discovering the leader) until its timeout.", gave.Attempts)
	}
	var nr *NoReplicaError
	if errors.As(err, &nr) {
		lines := make([]string, len(nr.Failures))
		for i, f := range nr.Failures {
			lines[i] = "  - " + f.String()
		}
		return "Cannot " + action + ": no replica answered",
			"Every endpoint failed:\n" + strings.Join(lines, "\n") + "\nCheck endpoints, the network, and the TLS settings (ca_file/tls_dir, deployment)."
	}
	var nl *NoLeaderError
	if errors.As(err, &nl) {
		lines := make([]string, 0, len(nl.Views)+len(nl.Failures))
		for _, v := range nl.Views {
			lines = append(lines, "  - "+v)
		}
		for _, f := range nl.Failures {
			lines = append(lines, "  - "+f.String())
		}
		return "Cannot " + action + ": leader unknown",
			"Mutations must reach the leader, and no endpoint is the leader right now:\n" + strings.Join(lines, "\n") +
				"\nDuring an election this clears within seconds; otherwise list every replica in endpoints."
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return "Cannot " + action + ": timed out", "No answer before the deadline; raise the provider's timeout or check the replicas."
	}
	st, ok := status.FromError(err)
	if !ok {
		return "Cannot " + action, err.Error()
	}
	msg := st.Message()
	switch st.Code() {
	case codes.FailedPrecondition:
		if IsNotLeaderText(msg) {
			return "Cannot " + action + ": leader unknown", "The replica answered: " + msg
		}
		return "Dialtone refused to " + action + " (safety rule)",
			"The control plane said: " + msg + "\nThis is one of its safety rules; Terraform does not override it. Fix the condition it names and apply again."
	case codes.PermissionDenied:
		return "Dialtone refused to " + action + " (role)",
			"The caller's identity lacks the role this call needs (viewer reads; operator registers, drains and cancels a drain; admin deregisters). The control plane said: " + msg
	case codes.Unauthenticated:
		return "Dialtone refused to " + action + " (not authenticated)",
			"The replica did not accept the caller's client certificate or bearer token. The control plane said: " + msg
	case codes.NotFound:
		return "Cannot " + action + ": not found", "The control plane said: " + msg
	case codes.InvalidArgument:
		return "Dialtone refused to " + action + " (invalid request)", "The control plane said: " + msg
	case codes.Unavailable:
		return "Cannot " + action + ": replica unavailable", describeTransport(err)
	case codes.DeadlineExceeded:
		return "Cannot " + action + ": timed out", "No answer before the deadline; raise the provider's timeout or check the replicas. (" + msg + ")"
	default:
		return "Cannot " + action, st.Code().String() + ": " + msg
	}
}

// deadlineOnly says whether err is nothing but a deadline running out (on every endpoint).
func deadlineOnly(err error) bool {
	var nr *NoReplicaError
	if errors.As(err, &nr) {
		for _, f := range nr.Failures {
			if !deadlineOnly(f.Err) {
				return false
			}
		}
		return len(nr.Failures) > 0
	}
	return errors.Is(err, context.DeadlineExceeded) || status.Code(err) == codes.DeadlineExceeded
}
