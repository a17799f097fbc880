package check

import (
	"io"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/vnportal/portal/internal/content"
	"github.com/vnportal/portal/internal/diag"
	"github.com/vnportal/portal/internal/photo"
	"github.com/vnportal/portal/internal/site"
)

// checkBundleFiles reports the files of page bundles that their article does not use
// (a photo nothing shows is not published at all: the build publishes photos as resized
// variants of the images articles show), and files named as images whose bytes are not
// that kind of image (a renamed document, a truncated copy).
func checkBundleFiles(siteDir string, g *site.Graph, resources []content.File, ds *diag.List) {
	byDir := map[string]*site.Article{}
	for _, a := range g.Contents() {
		if a.BundleDir != "" {
			byDir[a.BundleDir] = a
		}
	}
	for _, r := range resources {
		a := byDir[path.Dir(r.Rel)]
		if a == nil {
			continue
		}
		name := path.Base(r.Rel)
		claimed := photo.FormatOfName(name)
		shown, linked := usesFile(a, name)
		// A photo the article shows was read and checked by the build's load (an error
		// there when it is not the image its name says); the others are read here.
		if claimed != "" && !shown {
			if f := sniffFile(filepath.Join(siteDir, filepath.FromSlash(r.Rel))); f != claimed {
				if f != "" {
					ds.Warnf(r.Rel, 0, 0, "not-an-image", "tệp có đuôi %s nhưng thực ra là ảnh %s: đổi đuôi tên tệp thành %s", path.Ext(name), strings.ToUpper(string(f)), f.Ext())
				} else {
					ds.Warnf(r.Rel, 0, 0, "not-an-image", "tệp có đuôi %s nhưng không phải là ảnh", path.Ext(name))
				}
			}
		}
		if shown || (linked && claimed == "") {
			continue
		}
		if claimed != "" && linked {
			ds.Warnf(r.Rel, 0, 0, "unused-file", "bài %s chỉ liên kết tới ảnh này mà không hiển thị nó: ảnh gốc (có thể chứa vị trí GPS) không được xuất bản nên liên kết bị hỏng; hiển thị ảnh bằng ![mô tả ảnh](%s)", a.Path, name)
		} else if claimed != "" {
			ds.Warnf(r.Rel, 0, 0, "unused-file", "ảnh này không được bài %s dùng nên không được xuất bản: chèn vào bài bằng ![mô tả ảnh](%s), hoặc xoá tệp", a.Path, name)
		} else {
			ds.Warnf(r.Rel, 0, 0, "unused-file", "tệp này được xuất bản nhưng bài %s không có liên kết nào tới nó: thêm [tên tệp](%s) vào bài, hoặc xoá tệp", a.Path, name)
		}
	}
}

// usesFile reports whether a shows its bundle's file name as an image (in its body or
// as its front matter image), and whether it links to it.
func usesFile(a *site.Article, name string) (shown, linked bool) {
	is := func(d string) bool {
		target, skip := resolve(a.URL, d)
		return !skip && target == a.URL+name
	}
	shown = a.Image != "" && is(a.Image)
	for _, l := range a.Body.Links {
		if is(l.Dest) {
			if l.Image {
				shown = true
			} else {
				linked = true
			}
		}
	}
	if a.Legal != nil && slices.Contains(a.Legal.Files, name) {
		linked = true // a legal document's attachment: its page links it
	}
	return shown, linked
}

// sniffFile returns the image format of the file's first bytes ("" when none).
func sniffFile(p string) photo.Format {
	f, err := os.Open(p)
	if err != nil {
		return ""
	}
	defer f.Close()
	head := make([]byte, 16)
	n, _ := io.ReadFull(f, head)
	return photo.Sniff(head[:n])
}
