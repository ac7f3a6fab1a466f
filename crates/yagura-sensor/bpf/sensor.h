/* Records and settings shared by the BPF programs and user space.
 * The Rust side (src/abi.rs) mirrors these layouts; a test checks the sizes. */
#ifndef YAGURA_SENSOR_H
#define YAGURA_SENSOR_H

#define MAX_SYSCALLS 512
#define PATH_LEN 256
#define SMALL_LEN 64
#define SOCKADDR_LEN 128
#define ARGS_LEN 1024
#define CGROUP_NAME_LEN 128
#define MAX_KILL_RULES 16
#define KILL_PATH_LEN 128

/* syscall_conf bits */
#define CONF_ENABLED 1
#define CONF_KILL 2
#define CONF_OPEN_FILTER 4
#define CONF_OPEN_WRITE_ALL 8
#define CONF_OPEN_HEADS 16

/* open_prefixes values */
#define OPEN_PREFIX_ANY 1
#define OPEN_PREFIX_WRITE 2

/* kill_rule flags */
#define KILL_PATH_EXACT 1
#define KILL_PATH_PREFIX 2
#define KILL_COMM 4
#define KILL_CONTAINER 8
#define KILL_OPEN_WRITE 16

/* sys_event flags */
#define FLAG_PATH_BLANKED 1

/* proc_event kinds (above any syscall number) */
#define EV_FORK 1000
#define EV_EXEC 1001
#define EV_EXIT 1002

/* x86_64 syscall numbers */
#define NR_open 2
#define NR_connect 42
#define NR_accept 43
#define NR_bind 49
#define NR_listen 50
#define NR_clone 56
#define NR_fork 57
#define NR_vfork 58
#define NR_execve 59
#define NR_rename 82
#define NR_creat 85
#define NR_unlink 87
#define NR_chmod 90
#define NR_fchmod 91
#define NR_chown 92
#define NR_fchown 93
#define NR_lchown 94
#define NR_ptrace 101
#define NR_setuid 105
#define NR_setgid 106
#define NR_setreuid 113
#define NR_setregid 114
#define NR_setresuid 117
#define NR_setresgid 119
#define NR_mount 165
#define NR_init_module 175
#define NR_openat 257
#define NR_fchownat 260
#define NR_unlinkat 263
#define NR_renameat 264
#define NR_fchmodat 268
#define NR_unshare 272
#define NR_accept4 288
#define NR_setns 308
#define NR_finit_module 313
#define NR_renameat2 316
#define NR_memfd_create 319
#define NR_bpf 321
#define NR_execveat 322
#define NR_clone3 435
#define NR_openat2 437

struct path_key {
	u32 prefixlen;
	char data[PATH_LEN];
};

struct sys_event {
	u32 kind; /* syscall number */
	u32 tgid;
	u32 tid;
	u32 flags;
	u64 ts; /* CLOCK_BOOTTIME ns */
	s64 res;
	u64 args[6]; /* raw arguments; args[5] = normalised open flags */
	u32 killed_by; /* kill rule id + 1, or 0 */
	u16 sk_family;
	u16 sk_proto;
	u16 lport;
	u16 rport;
	u32 sockaddr_len;
	u8 laddr[16];
	u8 raddr[16];
	char comm[16];
	u8 sockaddr[SOCKADDR_LEN];
	char small[SMALL_LEN];
	/* lpm_prefixlen and path[0] form a struct path_key for the prefix lookup */
	u32 pad;
	u32 lpm_prefixlen;
	char path[2][PATH_LEN];
};

struct proc_event {
	u32 kind; /* EV_* */
	u32 tgid;
	u32 tid;
	u32 ppid;
	u64 ts;
	u64 start_time; /* task start, CLOCK_BOOTTIME ns */
	u32 uid, gid, euid, egid, loginuid;
	u32 exit_code;
	u64 exe_ino;
	s64 exe_mtime;
	u32 exe_nlink;
	u32 args_len;
	char comm[16];
	/* v2 leaf, v2 parent, v1 leaf, v1 parent */
	char cg[4][CGROUP_NAME_LEN];
	char filename[PATH_LEN];
	char exe_name[SMALL_LEN];
	char args[ARGS_LEN];
};

struct kill_rule {
	u32 active;
	u32 flags;
	u32 rule_id;
	u32 path_len;
	u64 syscalls[8]; /* bitmap over syscall numbers */
	char comm[16];
	char path[KILL_PATH_LEN];
};

#endif
