package client

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

func TestClassify(t *testing.T) {
	tests := []struct {
		err  error
		want Class
	}{
		{status.Error(codes.FailedPrecondition, "replica cp-1 is not the leader; the leader is cp-2"), NotLeader},
		{status.Error(codes.FailedPrecondition, "replica cp-1 is not the leader; no leader is known right now"), NotLeader},
		{status.Error(codes.FailedPrecondition, "leadership changed during the call: stale epoch 4 < 5"), NotLeader},
		{status.Error(codes.FailedPrecondition, "refused: ap-south is STANDBY; drain it first"), Permanent},
		{status.Error(codes.Unavailable, "connection refused"), Transient},
		{&NoReplicaError{}, Transient},
		{fmt.Errorf("wrapped: %w", &NoLeaderError{}), NotLeader},
		{status.Error(codes.PermissionDenied, "viewer"), Permanent},
		{status.Error(codes.NotFound, "no region x is registered"), Permanent},
		{errors.New("plain"), Permanent},
	}
	for _, tt := range tests {
		if got := Classify(tt.err); got != tt.want {
			t.Errorf("Classify(%v) = %v, want %v", tt.err, got, tt.want)
		}
	}
}

func TestExplain(t *testing.T) {
	tests := []struct {
		err     error
		summary string
		detail  string // a part of it
	}{
		{status.Error(codes.FailedPrecondition, "refused: ap-south is active and there is no standby to switch over to"),
			"Dialtone refused to drain region ap-south (safety rule)", "The control plane said: refused: ap-south is active and there is no standby"},
		{status.Error(codes.PermissionDenied, "spiffe://lab/operator/ci has role viewer"),
			"Dialtone refused to drain region ap-south (role)", "operator registers, drains"},
		{status.Error(codes.Unauthenticated, "no client certificate"), "Dialtone refused to drain region ap-south (not authenticated)", "no client certificate"},
		{status.Error(codes.FailedPrecondition, "replica cp-1 is not the leader; no leader is known right now"),
			"Cannot drain region ap-south: leader unknown", "no leader is known right now"},
		{&NoLeaderError{Views: []string{"cp-1 (h:1) says the leader is cp-9"}}, "Cannot drain region ap-south: leader unknown", "cp-1 (h:1) says the leader is cp-9"},
		{&NoReplicaError{Failures: []EndpointError{{"h:1", status.Error(codes.Unavailable, "connection refused")}, {"h:2", context.DeadlineExceeded}}},
			"Cannot drain region ap-south: no replica answered", "  - h:1: Unavailable: connection refused\n  - h:2: no answer before the timeout"},
		{&GaveUpError{Action: "drain", Attempts: 7, Last: &NoLeaderError{}}, "Cannot drain region ap-south: leader unknown", "retried 7 times"},
		{status.Error(codes.InvalidArgument, "id must be lower-case"), "Dialtone refused to drain region ap-south (invalid request)", "id must be lower-case"},
		{context.DeadlineExceeded, "Cannot drain region ap-south: timed out", "raise the provider's timeout"},
	}
	for _, tt := range tests {
		summary, detail := Explain("drain region ap-south", tt.err)
		if summary != tt.summary || !strings.Contains(detail, tt.detail) {
			t.Errorf("Explain(%v) =\n  %q\n  %q\nwant\n  %q\n  ...%q...", tt.err, summary, detail, tt.summary, tt.detail)
		}
	}
}
