package cli

import (
	"errors"
	"os"
	"path/filepath"
)

// writeContent is the one way commands write into a site (portal new, portal import): it
// writes data to the file path, creating its folders. Without overwrite it never replaces
// a file: the create is exclusive (fs.ErrExist if path exists, even one that appeared
// after the caller looked). With overwrite the data goes to a hidden temporary file next
// to path (content.Ignored skips it) that is renamed over path, so that neither a reader
// nor a failed write ever sees half a file.
func writeContent(path string, data []byte, overwrite bool) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	if !overwrite {
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err != nil {
			return err
		}
		_, err = f.Write(data)
		if err = errors.Join(err, f.Close()); err != nil {
			os.Remove(path) // created above: nobody else's
		}
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".portal-*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	_, err = tmp.Write(data)
	if err = errors.Join(err, tmp.Chmod(0o644), tmp.Close()); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
