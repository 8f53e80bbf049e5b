package client

import (
	"errors"
	"testing"
	"time"

	pb "github.com/dialtone-dev/terraform-provider-dialtone/internal/dialtonev1"
	"github.com/dialtone-dev/terraform-provider-dialtone/internal/fakeadmin"
)

func statusWith(active string, standbys []string, regions ...*pb.RegionStatus) *pb.GetStatusResponse {
	return &pb.GetStatusResponse{Placement: &pb.Placement{ActiveRegion: active, StandbyRegions: standbys}, Regions: regions}
}

func region(id string, l pb.RegionLifecycle) *pb.RegionStatus {
	return &pb.RegionStatus{Id: id, Lifecycle: l, Health: pb.HealthStatus_HEALTH_STATUS_UP, Ready: true}
}

func TestStandbyProgress(t *testing.T) {
	const (
		prov  = pb.RegionLifecycle_REGION_LIFECYCLE_PROVISIONING
		stby  = pb.RegionLifecycle_REGION_LIFECYCLE_STANDBY
		act   = pb.RegionLifecycle_REGION_LIFECYCLE_ACTIVE
		drain = pb.RegionLifecycle_REGION_LIFECYCLE_DRAINING
		gone  = pb.RegionLifecycle_REGION_LIFECYCLE_REMOVED
	)
	silent := &pb.RegionStatus{Id: "ap-south", Lifecycle: prov, Reason: "no report yet"}
	tests := []struct {
		st   *pb.GetStatusResponse
		want Progress
	}{
		{statusWith("", nil, silent), Progress{Reason: "region ap-south is PROVISIONING (health UNKNOWN, ready false: no report yet)"}},
		{statusWith("", nil, region("ap-south", stby)), Progress{Done: true, Reason: "region ap-south is STANDBY (health UP, ready true)"}},
		{statusWith("", nil, region("ap-south", act)), Progress{Done: true, Reason: "region ap-south is ACTIVE (health UP, ready true)"}},
		{statusWith("", nil, region("ap-south", drain)), Progress{Failed: true, Reason: "region ap-south is being drained: DRAINING (health UP, ready true)"}},
		{statusWith("", nil, region("ap-south", gone)), Progress{Failed: true, Reason: "region ap-south is no longer registered"}},
		{statusWith("", nil), Progress{Failed: true, Reason: "region ap-south is no longer registered"}},
	}
	for _, tt := range tests {
		if got := StandbyProgress(tt.st, "ap-south"); got != tt.want {
			t.Errorf("StandbyProgress = %+v, want %+v", got, tt.want)
		}
	}
}

func TestOutOfRotationProgress(t *testing.T) {
	tests := []struct {
		st   *pb.GetStatusResponse
		want Progress
	}{
		{statusWith("ap-south", []string{"us-east"}), Progress{Reason: "region ap-south is still the active region"}},
		{statusWith("us-east", []string{"us-west", "ap-south"}), Progress{Reason: "region ap-south is still standby #2 of [us-west ap-south]"}},
		{statusWith("us-east", []string{"us-west"}), Progress{Done: true, Reason: `region ap-south is out of rotation (active "us-east", standbys [us-west])`}},
	}
	for _, tt := range tests {
		if got := OutOfRotationProgress(tt.st, "ap-south"); got != tt.want {
			t.Errorf("OutOfRotationProgress = %+v, want %+v", got, tt.want)
		}
	}
}

func TestWaitForStandby(t *testing.T) {
	d, eps := threeReplicas(t)
	d.PromoteAfter = 3
	clock := &fakeClock{}
	c := plaintextClient(t, eps, clock)
	d.AddRegion("ap-south", 4, pb.RegionLifecycle_REGION_LIFECYCLE_PROVISIONING)
	var heard []string
	st, err := c.Wait(t.Context(), "standby", time.Minute, func(st *pb.GetStatusResponse) Progress { return StandbyProgress(st, "ap-south") },
		func(r string) { heard = append(heard, r) })
	if err != nil || FindRegion(st, "ap-south").GetLifecycle() != pb.RegionLifecycle_REGION_LIFECYCLE_STANDBY {
		t.Fatalf("%v, %v", st, err)
	}
	if len(heard) != 2 || len(clock.slept) == 0 || clock.slept[0] != PollInterval {
		t.Errorf("heard %q after sleeping %v", heard, clock.slept)
	}
}

func TestWaitTimesOutWithTheLastReason(t *testing.T) {
	d := fakeadmin.New("lab", "cp-1")
	c := plaintextClient(t, []string{d.Serve(t, "cp-1", nil)}, SystemClock{})
	d.AddRegion("ap-south", 4, pb.RegionLifecycle_REGION_LIFECYCLE_PROVISIONING)
	_, err := c.Wait(t.Context(), "waiting for ap-south", 100*time.Millisecond, func(st *pb.GetStatusResponse) Progress { return StandbyProgress(st, "ap-south") }, nil)
	var timeout *WaitTimeoutError
	if !errors.As(err, &timeout) || timeout.Last != "region ap-south is PROVISIONING (health UP, ready true)" {
		t.Fatalf("%v", err)
	}
}
