// Package fswatch reports batches of changed input files of a site, for the builds that
// follow them: `portal preview` and `portal serve --watch`.
package fswatch

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"

	"github.com/vnportal/portal/internal/config"
	"github.com/vnportal/portal/internal/content"
)

// Inputs returns the folders and single files of a site that a build reads: content/,
// layouts/, static/, i18n/, archetypes/, data/, the theme's folder, and config.toml.
func Inputs(siteDir, theme string) (roots, files []string) {
	for _, d := range []string{"content", "layouts", "static", "i18n", "archetypes", "data"} {
		roots = append(roots, filepath.Join(siteDir, d))
	}
	roots = append(roots, filepath.Join(siteDir, "themes", theme))
	return roots, []string{filepath.Join(siteDir, config.FileName)}
}

// Site watches the inputs of the site in siteDir (config.toml read for the theme) and
// sends a batch of changed paths after each quiet period of debounce, until ctx ends.
// A batch holding "" means that events were lost and anything may have changed.
func Site(ctx context.Context, siteDir string, debounce time.Duration, logf func(string, ...any), out chan<- []string) error {
	cfg, _ := config.Load(os.DirFS(siteDir), siteDir)
	roots, files := Inputs(siteDir, cfg.Theme)
	w, err := newWatcher(roots, files, debounce, logf)
	if err != nil {
		return err
	}
	go w.run(ctx, files, out)
	return nil
}

// watcher reports batches of changed paths under a site's inputs. Editor temporary files
// are ignored; an atomic save (write a temp file, rename it over the original) arrives
// as one change to the original; events are batched with a short trailing debounce.
type watcher struct {
	fs       *fsnotify.Watcher
	roots    []string
	debounce time.Duration
	logf     func(string, ...any)
}

// newWatcher watches each root folder recursively (missing ones are skipped) and the
// given single files.
func newWatcher(roots, files []string, debounce time.Duration, logf func(string, ...any)) (*watcher, error) {
	fw, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, err
	}
	w := &watcher{fs: fw, roots: roots, debounce: debounce, logf: logf}
	for _, r := range roots {
		w.addTree(r)
	}
	for _, f := range files {
		// Watch the folder: editors replace files by rename, which drops a watch on the file.
		if err := fw.Add(filepath.Dir(f)); err != nil {
			logf("không theo dõi được %s: %v", filepath.Dir(f), err)
		}
	}
	return w, nil
}

func (w *watcher) addTree(root string) []string {
	var files []string
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if d.IsDir() {
			if p != root && content.Ignored(d.Name()) {
				return fs.SkipDir
			}
			if err := w.fs.Add(p); err != nil {
				w.logf("không theo dõi được %s: %v", p, err)
			}
			return nil
		}
		files = append(files, p)
		return nil
	})
	return files
}

// relevant reports whether a path is an input the build reads.
func (w *watcher) relevant(p string, files []string) bool {
	if content.Ignored(filepath.Base(p)) || strings.HasSuffix(p, ".portal-tmp") {
		return false
	}
	if slices.Contains(files, p) {
		return true
	}
	for _, r := range w.roots {
		if p == r || strings.HasPrefix(p, r+string(filepath.Separator)) {
			return true
		}
	}
	return false
}

// run sends a sorted batch of changed paths after each quiet period, until ctx ends. A
// batch holding "" means that events were lost and anything may have changed.
func (w *watcher) run(ctx context.Context, files []string, out chan<- []string) {
	defer w.fs.Close()
	pending := map[string]bool{}
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case err, ok := <-w.fs.Errors:
			if !ok {
				return
			}
			w.logf("lỗi theo dõi tệp: %v", err)
			// Events may have been lost (a full kernel queue): the next rebuild must look
			// at every file. "" in a batch says so.
			pending[""] = true
			timer.Reset(w.debounce)
		case ev, ok := <-w.fs.Events:
			if !ok {
				return
			}
			if !w.relevant(ev.Name, files) {
				continue
			}
			if ev.Op.Has(fsnotify.Create) {
				if st, err := os.Stat(ev.Name); err == nil && st.IsDir() {
					// A new folder: watch it and count what was created in it before the watch.
					for _, f := range w.addTree(ev.Name) {
						pending[f] = true
					}
				}
			}
			pending[ev.Name] = true
			timer.Reset(w.debounce)
		case <-timer.C:
			if len(pending) == 0 {
				continue
			}
			batch := make([]string, 0, len(pending))
			for p := range pending {
				batch = append(batch, p)
			}
			slices.Sort(batch)
			pending = map[string]bool{}
			select {
			case out <- batch:
			case <-ctx.Done():
				return
			}
		}
	}
}
