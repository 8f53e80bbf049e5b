package client

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	pb "github.com/dialtone-dev/terraform-provider-dialtone/internal/dialtonev1"
)

// Progress is a wait's verdict on one status snapshot, with the reason for it.
type Progress struct {
	Done   bool
	Failed bool // waiting longer cannot help
	Reason string
}

// FindRegion is id's entry in a status, nil when the deployment does not list it.
func FindRegion(st *pb.GetStatusResponse, id string) *pb.RegionStatus {
	for _, r := range st.GetRegions() {
		if r.GetId() == id {
			return r
		}
	}
	return nil
}

// Registered says whether id is registered and not REMOVED.
func Registered(st *pb.GetStatusResponse, id string) bool {
	r := FindRegion(st, id)
	return r != nil && r.GetLifecycle() != pb.RegionLifecycle_REGION_LIFECYCLE_REMOVED
}

// LifecycleName is "STANDBY" for REGION_LIFECYCLE_STANDBY.
func LifecycleName(l pb.RegionLifecycle) string {
	return strings.TrimPrefix(l.String(), "REGION_LIFECYCLE_")
}

// HealthName is "UP" for HEALTH_STATUS_UP, "UNKNOWN" when unspecified (silent).
func HealthName(h pb.HealthStatus) string {
	if h == pb.HealthStatus_HEALTH_STATUS_UNSPECIFIED {
		return "UNKNOWN"
	}
	return strings.TrimPrefix(h.String(), "HEALTH_STATUS_")
}

// ModeName is "AUTO" for MODE_AUTO.
func ModeName(m pb.Mode) string { return strings.TrimPrefix(m.String(), "MODE_") }

func describe(r *pb.RegionStatus) string {
	s := fmt.Sprintf("%s (health %s, ready %v", LifecycleName(r.GetLifecycle()), HealthName(r.GetHealth()), r.GetReady())
	if r.GetReason() != "" {
		s += ": " + r.GetReason()
	}
	return s + ")"
}

// StandbyProgress: done once id is STANDBY or ACTIVE (the control plane promoted it after its
// agent proved it healthy); failed if it vanished or is being drained.
func StandbyProgress(st *pb.GetStatusResponse, id string) Progress {
	r := FindRegion(st, id)
	if r == nil || r.GetLifecycle() == pb.RegionLifecycle_REGION_LIFECYCLE_REMOVED {
		return Progress{Failed: true, Reason: "region " + id + " is no longer registered"}
	}
	switch r.GetLifecycle() {
	case pb.RegionLifecycle_REGION_LIFECYCLE_STANDBY, pb.RegionLifecycle_REGION_LIFECYCLE_ACTIVE:
		return Progress{Done: true, Reason: "region " + id + " is " + describe(r)}
	case pb.RegionLifecycle_REGION_LIFECYCLE_DRAINING:
		return Progress{Failed: true, Reason: "region " + id + " is being drained: " + describe(r)}
	default:
		return Progress{Reason: "region " + id + " is " + describe(r)}
	}
}

// OutOfRotationProgress: done once id is neither the placement's active region nor one of its
// standbys (nothing routes to it any more).
func OutOfRotationProgress(st *pb.GetStatusResponse, id string) Progress {
	p := st.GetPlacement()
	if p.GetActiveRegion() == id {
		return Progress{Reason: "region " + id + " is still the active region"}
	}
	if i := slices.Index(p.GetStandbyRegions(), id); i >= 0 {
		return Progress{Reason: fmt.Sprintf("region %s is still standby #%d of %v", id, i+1, p.GetStandbyRegions())}
	}
	return Progress{Done: true, Reason: fmt.Sprintf("region %s is out of rotation (active %q, standbys %v)", id, p.GetActiveRegion(), p.GetStandbyRegions())}
}

// WaitTimeoutError: the wait ran out of time; Last is the newest reason.
type WaitTimeoutError struct {
	What    string
	Timeout time.Duration
	Last    string
}

func (e *WaitTimeoutError) Error() string {
	return fmt.Sprintf("%s: not done after %s; last seen: %s", e.What, e.Timeout, e.Last)
}

// WaitFailedError: the wait saw a state it cannot get out of.
type WaitFailedError struct {
	What   string
	Reason string
}

func (e *WaitFailedError) Error() string { return e.What + ": " + e.Reason }

// PollInterval between two GetStatus calls while waiting.
const PollInterval = time.Second

// Wait polls the leader's status (any replica's if no leader answers) every PollInterval until
// check says done or failed, or timeout passes. onProgress hears each new reason.
func (c *Client) Wait(ctx context.Context, what string, timeout time.Duration,
	check func(*pb.GetStatusResponse) Progress, onProgress func(string)) (*pb.GetStatusResponse, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	last := "no status yet"
	for {
		st, _, err := c.LeaderStatus(ctx)
		if err != nil {
			st, err = c.Status(ctx)
		}
		if err == nil {
			p := check(st)
			if p.Reason != last && onProgress != nil {
				onProgress(p.Reason)
			}
			last = p.Reason
			if p.Done {
				return st, nil
			}
			if p.Failed {
				return st, &WaitFailedError{What: what, Reason: p.Reason}
			}
		} else if ctx.Err() == nil {
			last = err.Error()
		}
		if err := c.clock.Sleep(ctx, PollInterval); err != nil {
			if errors.Is(err, context.DeadlineExceeded) {
				return nil, &WaitTimeoutError{What: what, Timeout: timeout, Last: last}
			}
			return nil, err
		}
	}
}
