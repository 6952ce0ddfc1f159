// Command interop verifies a Ceasefire log exported to a directory using only Go's
// golang.org/x/mod/sumdb/note and golang.org/x/mod/sumdb/tlog, code we did not write.
//
// It opens the checkpoint with the log's verifier key, rebuilds the tree from the entry bundles,
// compares every hash tile with the one tlog computes, and checks an inclusion proof (a
// c2sp.org/tlog-proof file) and a consistency proof against tlog's own.
package main

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

const tileHeight = 8

func main() {
	dir := flag.String("dir", "", "exported log directory")
	vkey := flag.String("vkey", "", "verifier key of the log")
	proofPath := flag.String("proof", "", "c2sp.org/tlog-proof file of one entry")
	consistencyPath := flag.String("consistency", "", "file: old size, old root, proof hashes")
	flag.Parse()
	if err := run(*dir, *vkey, *proofPath, *consistencyPath); err != nil {
		fmt.Fprintln(os.Stderr, "interop:", err)
		os.Exit(1)
	}
}

type checkpoint struct {
	origin string
	size   int64
	root   tlog.Hash
}

func run(dir, vkey, proofPath, consistencyPath string) error {
	verifier, err := note.NewVerifier(vkey)
	if err != nil {
		return fmt.Errorf("verifier key: %v", err)
	}
	signed, err := os.ReadFile(filepath.Join(dir, "checkpoint"))
	if err != nil {
		return err
	}
	cp, err := openCheckpoint(signed, verifier)
	if err != nil {
		return err
	}

	var stored []tlog.Hash
	reader := tlog.HashReaderFunc(func(indexes []int64) ([]tlog.Hash, error) {
		hashes := make([]tlog.Hash, len(indexes))
		for i, index := range indexes {
			if index < 0 || index >= int64(len(stored)) {
				return nil, fmt.Errorf("stored hash %d not available", index)
			}
			hashes[i] = stored[index]
		}
		return hashes, nil
	})

	var entries [][]byte
	for _, bundle := range finalTiles(-1, cp.size) {
		data, err := os.ReadFile(filepath.Join(dir, c2spPath(bundle)))
		if err != nil {
			return err
		}
		bundleEntries, err := splitBundle(data)
		if err != nil {
			return fmt.Errorf("%s: %v", c2spPath(bundle), err)
		}
		if len(bundleEntries) != bundle.W {
			return fmt.Errorf("%s holds %d entries, not %d", c2spPath(bundle), len(bundleEntries), bundle.W)
		}
		for _, entry := range bundleEntries {
			hashes, err := tlog.StoredHashes(int64(len(entries)), entry, reader)
			if err != nil {
				return err
			}
			stored = append(stored, hashes...)
			entries = append(entries, entry)
		}
	}
	root, err := tlog.TreeHash(cp.size, reader)
	if err != nil {
		return err
	}
	if root != cp.root {
		return fmt.Errorf("tree hash of the entries %v is not the checkpoint's root %v", root, cp.root)
	}

	numTiles := 0
	for level := 0; cp.size>>(tileHeight*level) > 0; level++ {
		for _, tile := range finalTiles(level, cp.size) {
			want, err := tlog.ReadTileData(tile, reader)
			if err != nil {
				return err
			}
			have, err := os.ReadFile(filepath.Join(dir, c2spPath(tile)))
			if err != nil {
				return err
			}
			if !bytes.Equal(have, want) {
				return fmt.Errorf("%s differs from tlog's tile %s", c2spPath(tile), tile.Path())
			}
			numTiles++
		}
	}

	index, err := checkInclusion(proofPath, signed, cp, entries, reader)
	if err != nil {
		return err
	}
	oldSize, err := checkConsistency(consistencyPath, cp, reader)
	if err != nil {
		return err
	}
	fmt.Printf("ok: %s size %d root %v, %d hash tiles, inclusion of entry %d, consistency from size %d\n",
		cp.origin, cp.size, cp.root, numTiles, index, oldSize)
	return nil
}

func openCheckpoint(signed []byte, verifier note.Verifier) (checkpoint, error) {
	n, err := note.Open(signed, note.VerifierList(verifier))
	if err != nil {
		return checkpoint{}, fmt.Errorf("checkpoint: %v", err)
	}
	lines := strings.SplitN(n.Text, "\n", 4)
	if len(lines) < 4 {
		return checkpoint{}, errors.New("checkpoint text has fewer than three lines")
	}
	size, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil || size < 0 || strconv.FormatInt(size, 10) != lines[1] {
		return checkpoint{}, fmt.Errorf("checkpoint size %q", lines[1])
	}
	root, err := tlog.ParseHash(lines[2])
	if err != nil {
		return checkpoint{}, fmt.Errorf("checkpoint root %q: %v", lines[2], err)
	}
	return checkpoint{origin: lines[0], size: size, root: root}, nil
}

// finalTiles lists the tiles of a level (-1: entry bundles) for a tree of the given size: the full
// ones and the rightmost partial one, the only ones a C2SP log keeps.
func finalTiles(level int, size int64) []tlog.Tile {
	count := size
	if level > 0 {
		count = size >> (tileHeight * level)
	}
	var tiles []tlog.Tile
	for n := int64(0); n < count>>tileHeight; n++ {
		tiles = append(tiles, tlog.Tile{H: tileHeight, L: level, N: n, W: 1 << tileHeight})
	}
	if w := int(count % (1 << tileHeight)); w > 0 {
		tiles = append(tiles, tlog.Tile{H: tileHeight, L: level, N: count >> tileHeight, W: w})
	}
	return tiles
}

// c2spPath turns the Go sumdb tile path tile/8/<L>/<N>[.p/<W>], which names the height and calls
// entry bundles "data", into the C2SP path tile/<L>/<N>[.p/<W>] or tile/entries/<N>[.p/<W>].
func c2spPath(tile tlog.Tile) string {
	rest := strings.TrimPrefix(tile.Path(), "tile/8/")
	if strings.HasPrefix(rest, "data/") {
		rest = "entries/" + strings.TrimPrefix(rest, "data/")
	}
	return "tile/" + rest
}

func splitBundle(data []byte) ([][]byte, error) {
	var entries [][]byte
	for len(data) > 0 {
		if len(data) < 2 {
			return nil, errors.New("truncated entry length")
		}
		length := int(binary.BigEndian.Uint16(data))
		if len(data) < 2+length {
			return nil, errors.New("truncated entry")
		}
		entries = append(entries, data[2:2+length])
		data = data[2+length:]
	}
	return entries, nil
}

func checkInclusion(path string, signed []byte, cp checkpoint, entries [][]byte, reader tlog.HashReader) (int64, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0, err
	}
	head, proofCheckpoint, found := bytes.Cut(data, []byte("\n\n"))
	if !found || !bytes.Equal(proofCheckpoint, signed) {
		return 0, errors.New("tlog-proof does not carry the log's checkpoint verbatim")
	}
	lines := strings.Split(string(head), "\n")
	if len(lines) < 2 || lines[0] != "c2sp.org/tlog-proof@v1" || !strings.HasPrefix(lines[1], "index ") {
		return 0, errors.New("tlog-proof header")
	}
	index, err := strconv.ParseInt(strings.TrimPrefix(lines[1], "index "), 10, 64)
	if err != nil || index < 0 || index >= cp.size {
		return 0, fmt.Errorf("tlog-proof index %q", lines[1])
	}
	proof, err := parseHashes(lines[2:])
	if err != nil {
		return 0, err
	}
	if err := tlog.CheckRecord(tlog.RecordProof(proof), cp.size, cp.root, index, tlog.RecordHash(entries[index])); err != nil {
		return 0, fmt.Errorf("inclusion proof of entry %d: %v", index, err)
	}
	want, err := tlog.ProveRecord(cp.size, index, reader)
	if err != nil {
		return 0, err
	}
	if !equalHashes(proof, want) {
		return 0, fmt.Errorf("inclusion proof of entry %d differs from tlog's", index)
	}
	return index, nil
}

func checkConsistency(path string, cp checkpoint, reader tlog.HashReader) (int64, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0, err
	}
	lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	if len(lines) < 2 {
		return 0, errors.New("consistency file needs an old size and an old root")
	}
	oldSize, err := strconv.ParseInt(lines[0], 10, 64)
	if err != nil || oldSize < 1 || oldSize > cp.size {
		return 0, fmt.Errorf("old size %q", lines[0])
	}
	oldRoot, err := tlog.ParseHash(lines[1])
	if err != nil {
		return 0, err
	}
	proof, err := parseHashes(lines[2:])
	if err != nil {
		return 0, err
	}
	if err := tlog.CheckTree(tlog.TreeProof(proof), cp.size, cp.root, oldSize, oldRoot); err != nil {
		return 0, fmt.Errorf("consistency proof from size %d: %v", oldSize, err)
	}
	want, err := tlog.ProveTree(cp.size, oldSize, reader)
	if err != nil {
		return 0, err
	}
	if !equalHashes(proof, want) {
		return 0, fmt.Errorf("consistency proof from size %d differs from tlog's", oldSize)
	}
	return oldSize, nil
}

func parseHashes(lines []string) ([]tlog.Hash, error) {
	hashes := make([]tlog.Hash, len(lines))
	for i, line := range lines {
		raw, err := base64.StdEncoding.DecodeString(line)
		if err != nil || len(raw) != tlog.HashSize {
			return nil, fmt.Errorf("proof hash %q", line)
		}
		copy(hashes[i][:], raw)
	}
	return hashes, nil
}

func equalHashes(a, b []tlog.Hash) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
