// Package parallel runs index-based work on all cores: the one worker pool the pipeline
// stages share (parsing, Markdown, rendering).
package parallel

import (
	"context"
	"runtime"
	"sync"
)

// Each calls fn(i) for every i in [0, n) on runtime.GOMAXPROCS(0) goroutines and waits
// for them. It stops handing out work when ctx ends and then returns ctx.Err().
func Each(ctx context.Context, n int, fn func(i int)) error {
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), max(n, 1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				fn(i)
			}
		}()
	}
	for i := 0; i < n && ctx.Err() == nil; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
	return ctx.Err()
}
