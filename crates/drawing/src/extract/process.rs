//! Running an external tool with a wall-clock timeout (the child is killed) and an address-space
//! cap (`prlimit --as`, util-linux), so one bad drawing cannot hang or exhaust the server.

use crate::error::DrawingError;
use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

pub struct ToolOutput {
    pub stdout: Vec<u8>,
    pub stderr: String,
    pub success: bool,
}

/// Whether `program` is found in PATH.
pub fn has_tool(program: &str) -> bool {
    which(program).is_some()
}

fn which(program: &str) -> Option<std::path::PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(program))
        .find(|p| p.is_file())
}

/// Runs `program args` with a timeout and a memory cap (bytes, 0 = none).
pub fn run(
    program: &str,
    args: &[&str],
    timeout: Duration,
    memory_bytes: u64,
    envs: &[(&str, &str)],
) -> Result<ToolOutput, DrawingError> {
    let exe = which(program).ok_or_else(|| DrawingError::ToolMissing(program.to_string()))?;
    let mut cmd = match (memory_bytes, which("prlimit")) {
        (m, Some(prlimit)) if m > 0 => {
            let mut c = Command::new(prlimit);
            c.arg(format!("--as={m}")).arg("--").arg(&exe);
            c
        }
        _ => Command::new(&exe),
    };
    cmd.args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in envs {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().map_err(|e| DrawingError::ToolFailed {
        tool: program.into(),
        detail: e.to_string(),
    })?;
    let mut out = child.stdout.take();
    let mut err = child.stderr.take();
    let out_thread = std::thread::spawn(move || {
        let mut buf = Vec::new();
        if let Some(o) = out.as_mut() {
            let _ = o.read_to_end(&mut buf);
        }
        buf
    });
    let err_thread = std::thread::spawn(move || {
        let mut buf = Vec::new();
        if let Some(e) = err.as_mut() {
            let _ = e.take(64 * 1024).read_to_end(&mut buf);
        }
        String::from_utf8_lossy(&buf).into_owned()
    });
    let start = Instant::now();
    let status = loop {
        match child.try_wait()? {
            Some(status) => break status,
            None if start.elapsed() > timeout => {
                let _ = child.kill();
                let _ = child.wait();
                let _ = out_thread.join();
                let _ = err_thread.join();
                return Err(DrawingError::Timeout {
                    tool: program.into(),
                    seconds: timeout.as_secs().max(1),
                });
            }
            None => std::thread::sleep(Duration::from_millis(5)),
        }
    };
    let stdout = out_thread.join().unwrap_or_default();
    let stderr = err_thread.join().unwrap_or_default();
    let low = stderr.to_lowercase();
    if !status.success()
        && (low.contains("memory")
            || low.contains("bad_alloc")
            || low.contains("cannot allocate")
            || low.contains("out of memory"))
    {
        return Err(DrawingError::OutOfMemory {
            tool: program.into(),
        });
    }
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        // SIGABRT/SIGSEGV/SIGKILL under an address-space cap usually mean allocation failure.
        if memory_bytes > 0 && matches!(status.signal(), Some(6) | Some(9) | Some(11)) {
            return Err(DrawingError::OutOfMemory {
                tool: program.into(),
            });
        }
    }
    Ok(ToolOutput {
        stdout,
        stderr,
        success: status.success(),
    })
}

/// Path as &str (temp paths are always UTF-8 here).
pub fn p(path: &Path) -> &str {
    path.to_str().unwrap_or_default()
}
