// '/'-separated path text, computed without touching the file system (the paths may not exist).
// Used for repository-relative names (kustomization entries, Argo CD source paths) as much as
// for file-system paths.
#pragma once

#include <string>
#include <string_view>

namespace capstan {

// dir + "/" + name, with no separator added when dir is empty or already ends in '/'. Nothing
// is normalised: ("a/", "b") -> "a/b"; ("", "b") -> "b"; ("a", "../b") -> "a/../b".
std::string AppendPath(std::string_view dir, std::string_view name);

// Joins dir and rel and removes "." and ".." components where possible: ("a/b", "../c") ->
// "a/c"; ("", "./x") -> "x"; ("a", "../../x") -> "../x". An absolute rel is returned
// normalised on its own, and ".." never climbs above "/": ("", "/a/../../b") -> "/b".
std::string JoinPath(std::string_view dir, std::string_view rel);

// path with "." and ".." removed as JoinPath does: NormalizePath("/a/./b/../c") -> "/a/c".
std::string NormalizePath(std::string_view path);

// The directory part of a path: "a/b/c.yaml" -> "a/b", "c.yaml" -> "", "/c" -> "".
std::string DirName(std::string_view path);

// Whether the normalised path is dir itself or lies below it: "a/b" is under "a", "ab" is not.
// dir "" is the top of a relative tree: it holds every relative path that stays in it, not
// "../x" and not an absolute path.
bool AtOrUnder(std::string_view path, std::string_view dir);

}  // namespace capstan
