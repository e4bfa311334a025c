// Command loadgen drives GET requests at one URL over keep-alive connections on loopback and
// prints every request's latency as JSON, for bench/slots_http.py to merge across runs.
//
// Two kinds of load:
//
//   - closed loop (-rate 0): each connection sends its next request as soon as the previous one
//     is answered, so the server's throughput decides the request rate (what wrk does);
//   - open loop (-rate N): request i is due at start + i/N whatever happened before it, and its
//     latency counts from that due time, waiting for a free connection included. A server that
//     falls behind shows it in the tail instead of slowing the generator down (no coordinated
//     omission).
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"sync"
	"time"
)

type result struct {
	Requests   int     `json:"requests"`
	Errors     int     `json:"errors"`
	Non2xx     int     `json:"non_2xx"`
	Seconds    float64 `json:"seconds"`
	LatencyUs  []int64 `json:"latencies_us"`
	FirstError string  `json:"first_error,omitempty"`
}

type sample struct {
	latency time.Duration
	status  int
	err     error
}

func main() {
	url := flag.String("url", "", "URL to GET")
	rate := flag.Float64("rate", 0, "requests per second to offer; 0 for a closed loop")
	duration := flag.Duration("duration", 5*time.Second, "how long to send requests")
	connections := flag.Int("connections", 50, "keep-alive connections, i.e. concurrent requests at most")
	flag.Parse()
	if *url == "" || *rate < 0 || *connections <= 0 || *duration <= 0 {
		flag.Usage()
		os.Exit(2)
	}
	client := &http.Client{
		Transport: &http.Transport{
			MaxIdleConns:        *connections,
			MaxIdleConnsPerHost: *connections,
			MaxConnsPerHost:     *connections,
			DisableCompression:  true,
		},
		Timeout: 30 * time.Second,
	}
	started := time.Now()
	var samples []sample
	if *rate == 0 {
		samples = closedLoop(client, *url, *duration, *connections)
	} else {
		samples = openLoop(client, *url, *rate, *duration, *connections)
	}
	out := summarize(samples, time.Since(started))
	if err := json.NewEncoder(os.Stdout).Encode(out); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func closedLoop(client *http.Client, url string, duration time.Duration, connections int) []sample {
	deadline := time.Now().Add(duration)
	perWorker := make([][]sample, connections)
	var workers sync.WaitGroup
	for worker := range connections {
		workers.Add(1)
		go func() {
			defer workers.Done()
			for time.Now().Before(deadline) {
				perWorker[worker] = append(perWorker[worker], get(client, url, time.Now()))
			}
		}()
	}
	workers.Wait()
	var samples []sample
	for _, mine := range perWorker {
		samples = append(samples, mine...)
	}
	return samples
}

func openLoop(client *http.Client, url string, rate float64, duration time.Duration, connections int) []sample {
	total := int(rate * duration.Seconds())
	interval := time.Duration(float64(time.Second) / rate)
	due := make(chan time.Time, total)
	results := make(chan sample, total)
	var workers sync.WaitGroup
	for range connections {
		workers.Add(1)
		go func() {
			defer workers.Done()
			for at := range due {
				results <- get(client, url, at)
			}
		}()
	}
	start := time.Now()
	for i := range total {
		at := start.Add(time.Duration(i) * interval)
		if wait := time.Until(at); wait > 0 {
			time.Sleep(wait)
		}
		due <- at
	}
	close(due)
	workers.Wait()
	close(results)
	samples := make([]sample, 0, total)
	for s := range results {
		samples = append(samples, s)
	}
	return samples
}

// get fetches url and reads the whole body; the latency runs from `since` to the last byte.
func get(client *http.Client, url string, since time.Time) sample {
	response, err := client.Get(url)
	if err != nil {
		return sample{latency: time.Since(since), err: err}
	}
	_, err = io.Copy(io.Discard, response.Body)
	response.Body.Close()
	return sample{latency: time.Since(since), status: response.StatusCode, err: err}
}

func summarize(samples []sample, elapsed time.Duration) result {
	out := result{Requests: len(samples), Seconds: elapsed.Seconds(), LatencyUs: make([]int64, 0, len(samples))}
	for _, s := range samples {
		switch {
		case s.err != nil:
			out.Errors++
			if out.FirstError == "" {
				out.FirstError = s.err.Error()
			}
		case s.status < 200 || s.status > 299:
			out.Non2xx++
			if out.FirstError == "" {
				out.FirstError = fmt.Sprintf("HTTP %d", s.status)
			}
		}
		out.LatencyUs = append(out.LatencyUs, s.latency.Microseconds())
	}
	return out
}
