// Package fakeadmin is an in-memory Dialtone deployment serving dialtone.v1.AdminService on
// loopback, for tests that need no lab: replicas of which one leads (the others refuse
// mutations as the real ones do), regions with the server's lifecycle rules, and fault hooks.
// It follows the Java AdminGrpcService's contract; the acceptance tests check the real thing.
package fakeadmin

import (
	"context"
	"fmt"
	"net"
	"slices"
	"sort"
	"sync"
	"testing"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"

	pb "github.com/dialtone-dev/terraform-provider-dialtone/internal/dialtonev1"
)

// Deployment is the shared state every fake replica serves.
type Deployment struct {
	mu       sync.Mutex
	name     string
	leader   string
	epoch    uint64
	regions  map[string]*pb.RegionStatus
	active   string
	standbys []string
	// PromoteAfter: a PROVISIONING region becomes STANDBY (and joins the standbys) after this
	// many GetStatus calls have seen it; 0 means never by itself (call Promote).
	PromoteAfter int
	seen         map[string]int
	faults       map[string][]error // method -> errors returned by the next calls, in order
	calls        []Call
	history      []*pb.HistoryEntry
}

// Call is one RPC a replica served.
type Call struct {
	Replica       string
	Method        string
	Authorization string
}

// New is a deployment named name with leader as its leader.
func New(name, leader string) *Deployment {
	return &Deployment{name: name, leader: leader, epoch: 1, regions: map[string]*pb.RegionStatus{},
		seen: map[string]int{}, faults: map[string][]error{}}
}

// SetLeader moves leadership (a new epoch); "" means no leader is known.
func (d *Deployment) SetLeader(id string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.leader = id
	d.epoch++
}

// Fail makes the next calls of method (e.g. "RegisterRegion") fail with errs, in order.
func (d *Deployment) Fail(method string, errs ...error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.faults[method] = append(d.faults[method], errs...)
}

// Calls is every call served so far.
func (d *Deployment) Calls() []Call {
	d.mu.Lock()
	defer d.mu.Unlock()
	return slices.Clone(d.calls)
}

// AddRegion registers a region directly in lifecycle l (ACTIVE makes it the active region,
// STANDBY appends it to the standbys).
func (d *Deployment) AddRegion(id string, priority uint32, l pb.RegionLifecycle) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.regions[id] = &pb.RegionStatus{Id: id, Priority: priority, Lifecycle: l, Health: pb.HealthStatus_HEALTH_STATUS_UP, Ready: true, Edge: &pb.RegionEdge{}}
	switch l {
	case pb.RegionLifecycle_REGION_LIFECYCLE_ACTIVE:
		d.active = id
	case pb.RegionLifecycle_REGION_LIFECYCLE_STANDBY:
		d.standbys = append(d.standbys, id)
	}
}

// Promote makes a PROVISIONING region a STANDBY now.
func (d *Deployment) Promote(id string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.promote(id)
}

func (d *Deployment) promote(id string) {
	r := d.regions[id]
	if r == nil || r.Lifecycle != pb.RegionLifecycle_REGION_LIFECYCLE_PROVISIONING {
		return
	}
	r.Lifecycle = pb.RegionLifecycle_REGION_LIFECYCLE_STANDBY
	d.standbys = append(d.standbys, id)
	d.note(id + " promoted to STANDBY")
}

// Region is a copy of id's status, nil when absent.
func (d *Deployment) Region(id string) *pb.RegionStatus {
	d.mu.Lock()
	defer d.mu.Unlock()
	if r := d.regions[id]; r != nil {
		return proto.Clone(r).(*pb.RegionStatus)
	}
	return nil
}

// Routed says whether id is the active region or a standby.
func (d *Deployment) Routed(id string) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.active == id || slices.Contains(d.standbys, id)
}

func (d *Deployment) note(summary string) {
	d.history = append([]*pb.HistoryEntry{{Id: fmt.Sprint(len(d.history) + 1), Kind: pb.HistoryKind_HISTORY_KIND_REGION, Epoch: d.epoch, Summary: summary}}, d.history...)
}

// Serve starts replica id on 127.0.0.1 (TLS with creds, plaintext when nil) until the test ends.
func (d *Deployment) Serve(t testing.TB, id string, creds credentials.TransportCredentials) string {
	t.Helper()
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var opts []grpc.ServerOption
	if creds != nil {
		opts = append(opts, grpc.Creds(creds))
	}
	s := grpc.NewServer(opts...)
	pb.RegisterAdminServiceServer(s, &replica{d: d, id: id})
	go func() { _ = s.Serve(lis) }()
	t.Cleanup(s.Stop)
	return lis.Addr().String()
}

type replica struct {
	pb.UnimplementedAdminServiceServer
	d  *Deployment
	id string
}

// enter records the call and returns an injected fault, if any; the caller holds d.mu after.
func (r *replica) enter(ctx context.Context, method string, mutation bool) error {
	d := r.d
	d.mu.Lock()
	auth := ""
	if md, ok := metadata.FromIncomingContext(ctx); ok && len(md.Get("authorization")) > 0 {
		auth = md.Get("authorization")[0]
	}
	d.calls = append(d.calls, Call{Replica: r.id, Method: method, Authorization: auth})
	if errs := d.faults[method]; len(errs) > 0 {
		d.faults[method] = errs[1:]
		return errs[0]
	}
	if mutation && d.leader != r.id {
		leader := "no leader is known right now"
		if d.leader != "" {
			leader = "the leader is " + d.leader
		}
		return status.Errorf(codes.FailedPrecondition, "replica %s is not the leader; %s", r.id, leader)
	}
	return nil
}

func (r *replica) GetStatus(ctx context.Context, _ *pb.GetStatusRequest) (*pb.GetStatusResponse, error) {
	defer r.d.mu.Unlock()
	if err := r.enter(ctx, "GetStatus", false); err != nil {
		return nil, err
	}
	d := r.d
	out := &pb.GetStatusResponse{Deployment: d.name, ReplicaId: r.id, LeaderId: d.leader, Epoch: d.epoch,
		Mode: pb.Mode_MODE_AUTO, CoordinationConnected: true,
		Placement: &pb.Placement{ActiveRegion: d.active, StandbyRegions: slices.Clone(d.standbys), Epoch: d.epoch}}
	ids := make([]string, 0, len(d.regions))
	for id, reg := range d.regions {
		if reg.Lifecycle == pb.RegionLifecycle_REGION_LIFECYCLE_PROVISIONING && d.PromoteAfter > 0 {
			if d.seen[id]++; d.seen[id] >= d.PromoteAfter {
				d.promote(id)
			}
		}
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return d.regions[ids[i]].Priority < d.regions[ids[j]].Priority })
	for _, id := range ids {
		out.Regions = append(out.Regions, proto.Clone(d.regions[id]).(*pb.RegionStatus))
	}
	return out, nil
}

func (r *replica) ListHistory(ctx context.Context, req *pb.ListHistoryRequest) (*pb.ListHistoryResponse, error) {
	defer r.d.mu.Unlock()
	if err := r.enter(ctx, "ListHistory", false); err != nil {
		return nil, err
	}
	return &pb.ListHistoryResponse{Entries: slices.Clone(r.d.history)}, nil
}

func (r *replica) RegisterRegion(ctx context.Context, req *pb.RegisterRegionRequest) (*pb.RegisterRegionResponse, error) {
	defer r.d.mu.Unlock()
	if err := r.enter(ctx, "RegisterRegion", true); err != nil {
		return nil, err
	}
	d := r.d
	if req.GetId() == "" {
		return nil, status.Error(codes.InvalidArgument, "id is required")
	}
	existing := d.regions[req.GetId()]
	lifecycle := pb.RegionLifecycle_REGION_LIFECYCLE_PROVISIONING
	if existing != nil && existing.Lifecycle != pb.RegionLifecycle_REGION_LIFECYCLE_REMOVED {
		lifecycle = existing.Lifecycle
	}
	wanted := &pb.RegionStatus{Id: req.GetId(), Priority: req.GetPriority(), Edge: proto.Clone(req.GetEdge()).(*pb.RegionEdge),
		Lifecycle: lifecycle, Health: pb.HealthStatus_HEALTH_STATUS_UP, Ready: true}
	changed := existing == nil || !proto.Equal(existing, wanted)
	if changed {
		d.regions[req.GetId()] = wanted
		d.seen[req.GetId()] = 0
		d.note(req.GetId() + " registered")
	}
	return &pb.RegisterRegionResponse{Region: proto.Clone(wanted).(*pb.RegionStatus), Changed: changed}, nil
}

// mutation enters a region mutation on id: the deployment, id and its region (nil if absent).
func (r *replica) mutation(ctx context.Context, method, id string) (*Deployment, string, *pb.RegionStatus, error) {
	if err := r.enter(ctx, method, true); err != nil {
		return nil, "", nil, err
	}
	return r.d, id, r.d.regions[id], nil
}

func (r *replica) DrainRegion(ctx context.Context, req *pb.DrainRegionRequest) (*pb.DrainRegionResponse, error) {
	defer r.d.mu.Unlock()
	d, id, reg, err := r.mutation(ctx, "DrainRegion", req.GetId())
	if err != nil {
		return nil, err
	}
	if reg == nil {
		return nil, status.Errorf(codes.NotFound, "no region %s is registered", id)
	}
	if reg.Lifecycle == pb.RegionLifecycle_REGION_LIFECYCLE_DRAINING || reg.Lifecycle == pb.RegionLifecycle_REGION_LIFECYCLE_REMOVED {
		return &pb.DrainRegionResponse{Region: proto.Clone(reg).(*pb.RegionStatus)}, nil
	}
	if d.active == id {
		if len(d.standbys) == 0 {
			return nil, status.Errorf(codes.FailedPrecondition, "refused: %s is active and there is no standby to switch over to", id)
		}
		d.active, d.standbys = d.standbys[0], d.standbys[1:]
	}
	d.standbys = slices.DeleteFunc(d.standbys, func(s string) bool { return s == id })
	reg.Lifecycle = pb.RegionLifecycle_REGION_LIFECYCLE_DRAINING
	d.note(id + " draining")
	return &pb.DrainRegionResponse{Region: proto.Clone(reg).(*pb.RegionStatus), Changed: true}, nil
}

func (r *replica) DeregisterRegion(ctx context.Context, req *pb.DeregisterRegionRequest) (*pb.DeregisterRegionResponse, error) {
	defer r.d.mu.Unlock()
	d, id, reg, err := r.mutation(ctx, "DeregisterRegion", req.GetId())
	if err != nil {
		return nil, err
	}
	if reg == nil || reg.Lifecycle == pb.RegionLifecycle_REGION_LIFECYCLE_REMOVED {
		return &pb.DeregisterRegionResponse{Region: &pb.RegionStatus{Id: id, Lifecycle: pb.RegionLifecycle_REGION_LIFECYCLE_REMOVED, Reason: "not registered"}}, nil
	}
	if reg.Lifecycle != pb.RegionLifecycle_REGION_LIFECYCLE_DRAINING {
		return nil, status.Errorf(codes.FailedPrecondition, "refused: %s is %s; drain it first", id, reg.Lifecycle)
	}
	delete(d.regions, id)
	d.note(id + " deregistered (REMOVED)")
	reg.Lifecycle = pb.RegionLifecycle_REGION_LIFECYCLE_REMOVED
	return &pb.DeregisterRegionResponse{Region: reg, Changed: true}, nil
}

func (r *replica) CancelDrain(ctx context.Context, req *pb.CancelDrainRequest) (*pb.CancelDrainResponse, error) {
	defer r.d.mu.Unlock()
	d, id, reg, err := r.mutation(ctx, "CancelDrain", req.GetId())
	if err != nil {
		return nil, err
	}
	if reg == nil {
		return nil, status.Errorf(codes.NotFound, "no region %s is registered", id)
	}
	if reg.Lifecycle != pb.RegionLifecycle_REGION_LIFECYCLE_DRAINING {
		return &pb.CancelDrainResponse{Region: proto.Clone(reg).(*pb.RegionStatus)}, nil
	}
	reg.Lifecycle = pb.RegionLifecycle_REGION_LIFECYCLE_PROVISIONING
	d.seen[id] = 0
	d.note(id + " drain cancelled: DRAINING -> PROVISIONING")
	return &pb.CancelDrainResponse{Region: proto.Clone(reg).(*pb.RegionStatus), Changed: true}, nil
}
