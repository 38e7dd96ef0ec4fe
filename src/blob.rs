//! Git object ids of file contents: what `git hash-object` prints. A file's blob id names its
//! contents in the load cache, keys the rules' memo and tells `lint --base` which files a change
//! touched.

/// A git object id (SHA-1), all zeros when unknown.
pub type ObjectId = [u8; 20];

/// The git blob id of `bytes`.
pub fn blob_id(bytes: &[u8]) -> ObjectId {
    object_id("blob", bytes)
}

/// The git id of an object of `kind` (`blob`, `tree`) holding `content`: the SHA-1 of its
/// header and content. Computed here rather than by libgit2, whose SHA-1 checks each block for
/// collision attacks at a third of the speed of the processor's SHA instructions: ids are
/// computed for every file read, every folder compared with a base, and the rules' memo key.
pub fn object_id(kind: &str, content: &[u8]) -> ObjectId {
    use sha1::Digest;
    let mut hasher = sha1::Sha1::new();
    hasher.update(kind.as_bytes());
    hasher.update(b" ");
    hasher.update(content.len().to_string().as_bytes());
    hasher.update([0]);
    hasher.update(content);
    hasher.finalize().into()
}

/// The SHA-1 of `bytes`, as lowercase hex.
pub fn sha1_hex(bytes: &[u8]) -> String {
    use sha1::Digest;
    let digest: ObjectId = sha1::Sha1::digest(bytes).into();
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_gits() {
        // `printf 'hello\n' | git hash-object --stdin`
        let id = blob_id(b"hello\n");
        let hex: String = id.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(hex, "ce013625030ba8dba906f756967f9e9ca394464a");
        // The empty tree.
        let tree: String = object_id("tree", b"")
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(tree, "4b825dc642cb6eb9a060e54bf8d69288fbee4904");
    }
}
