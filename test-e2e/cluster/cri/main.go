// windlass-cri is the small CRI client the cluster scripts need, built with the
// same Kubernetes modules as the cluster (crictl's module cannot be verified
// against the checksum database from this workplace, so we do not use it).
//
//	windlass-cri -endpoint unix:///path/containerd.sock pods
//	windlass-cri -endpoint unix:///path/containerd.sock remove-all
//
// remove-all stops every pod sandbox through the CRI, so containerd runs the
// CNI DEL (veth, IPAM, portmap rules) and unmounts the pod netns, then
// removes the sandboxes. It prints the netns paths it saw, one per line, so
// that the caller can check none is left behind.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	runtimeapi "k8s.io/cri-api/pkg/apis/runtime/v1"
)

func main() {
	endpoint := flag.String("endpoint", "", "CRI endpoint, unix:///path/to/containerd.sock")
	timeout := flag.Duration("timeout", 60*time.Second, "overall timeout")
	flag.Parse()
	if *endpoint == "" || flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: windlass-cri -endpoint unix:///path.sock pods|remove-all")
		os.Exit(2)
	}
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()

	conn, err := grpc.NewClient(*endpoint, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		fail("connect %s: %v", *endpoint, err)
	}
	defer conn.Close()
	client := runtimeapi.NewRuntimeServiceClient(conn)

	switch flag.Arg(0) {
	case "pods":
		listPods(ctx, client)
	case "remove-all":
		removeAll(ctx, client)
	default:
		fail("unknown command %q", flag.Arg(0))
	}
}

func listPods(ctx context.Context, client runtimeapi.RuntimeServiceClient) {
	resp, err := client.ListPodSandbox(ctx, &runtimeapi.ListPodSandboxRequest{})
	if err != nil {
		fail("list pod sandboxes: %v", err)
	}
	for _, p := range resp.Items {
		fmt.Printf("%.13s  %-8s  %s/%s\n", p.Id, shortState(p.State), p.Metadata.Namespace, p.Metadata.Name)
	}
}

func removeAll(ctx context.Context, client runtimeapi.RuntimeServiceClient) {
	resp, err := client.ListPodSandbox(ctx, &runtimeapi.ListPodSandboxRequest{})
	if err != nil {
		fail("list pod sandboxes: %v", err)
	}
	failed := false
	for _, p := range resp.Items {
		if path := netnsPath(ctx, client, p.Id); path != "" {
			fmt.Println(path)
		}
		// Stop first: that is where containerd tears down the pod network.
		if _, err := client.StopPodSandbox(ctx, &runtimeapi.StopPodSandboxRequest{PodSandboxId: p.Id}); err != nil {
			fmt.Fprintf(os.Stderr, "stop %s/%s: %v\n", p.Metadata.Namespace, p.Metadata.Name, err)
			failed = true
			continue
		}
		if _, err := client.RemovePodSandbox(ctx, &runtimeapi.RemovePodSandboxRequest{PodSandboxId: p.Id}); err != nil {
			fmt.Fprintf(os.Stderr, "remove %s/%s: %v\n", p.Metadata.Namespace, p.Metadata.Name, err)
			failed = true
		}
	}
	if failed {
		os.Exit(1)
	}
}

// netnsPath reads the sandbox's network namespace path from containerd's
// verbose status (info.runtimeSpec.linux.namespaces).
func netnsPath(ctx context.Context, client runtimeapi.RuntimeServiceClient, id string) string {
	resp, err := client.PodSandboxStatus(ctx, &runtimeapi.PodSandboxStatusRequest{PodSandboxId: id, Verbose: true})
	if err != nil {
		return ""
	}
	return findNetns(resp.Info["info"])
}

func shortState(s runtimeapi.PodSandboxState) string {
	if s == runtimeapi.PodSandboxState_SANDBOX_READY {
		return "Ready"
	}
	return "NotReady"
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "windlass-cri: "+format+"\n", args...)
	os.Exit(1)
}

func findNetns(info string) string {
	var parsed struct {
		RuntimeSpec struct {
			Linux struct {
				Namespaces []struct {
					Type string `json:"type"`
					Path string `json:"path"`
				} `json:"namespaces"`
			} `json:"linux"`
		} `json:"runtimeSpec"`
	}
	if json.Unmarshal([]byte(info), &parsed) != nil {
		return ""
	}
	for _, ns := range parsed.RuntimeSpec.Linux.Namespaces {
		if ns.Type == "network" {
			return ns.Path
		}
	}
	return ""
}
