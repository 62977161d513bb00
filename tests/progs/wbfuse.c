// SPDX-License-Identifier: GPL-2.0
/*
 * wbfuse BACKING_DIR MOUNTPOINT [FUSE options]: a passthrough FUSE
 * filesystem with the writeback cache on, so that buffered writes go
 * through the kernel's page cache and writeback (strictlimit, writeback
 * accounted by FUSE itself against bdi->wb), as on a real machine's
 * FUSE mounts.  Enough of a filesystem for dd, fio and sync.
 */
#define FUSE_USE_VERSION 31
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fuse.h>
#include <limits.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *backing;

static const char *real(char *buf, const char *path)
{
	snprintf(buf, PATH_MAX, "%s%s", backing, path);
	return buf;
}

static void *wbf_init(struct fuse_conn_info *conn, struct fuse_config *cfg)
{
	if (!(conn->capable & FUSE_CAP_WRITEBACK_CACHE)) {
		fprintf(stderr, "wbfuse: the kernel offers no writeback cache\n");
		fuse_exit(fuse_get_context()->fuse);
	}
	conn->want |= FUSE_CAP_WRITEBACK_CACHE;
	cfg->kernel_cache = 1;
	return NULL;
}

static int wbf_getattr(const char *path, struct stat *st,
		       struct fuse_file_info *fi)
{
	char p[PATH_MAX];
	int ret = fi ? fstat(fi->fh, st) : lstat(real(p, path), st);

	return ret ? -errno : 0;
}

static int wbf_readdir(const char *path, void *buf, fuse_fill_dir_t fill,
		       off_t off, struct fuse_file_info *fi,
		       enum fuse_readdir_flags flags)
{
	char p[PATH_MAX];
	struct dirent *de;
	DIR *d = opendir(real(p, path));

	if (!d)
		return -errno;
	while ((de = readdir(d)))
		fill(buf, de->d_name, NULL, 0, 0);
	closedir(d);
	return 0;
}

/* The writeback cache reads pages of files opened write-only. */
static int open_flags(int flags)
{
	if ((flags & O_ACCMODE) == O_WRONLY)
		flags = (flags & ~O_ACCMODE) | O_RDWR;
	return flags & ~O_APPEND;
}

static int wbf_open(const char *path, struct fuse_file_info *fi)
{
	char p[PATH_MAX];
	int fd = open(real(p, path), open_flags(fi->flags));

	if (fd < 0)
		return -errno;
	fi->fh = fd;
	return 0;
}

static int wbf_create(const char *path, mode_t mode, struct fuse_file_info *fi)
{
	char p[PATH_MAX];
	int fd = open(real(p, path), open_flags(fi->flags) | O_CREAT, mode);

	if (fd < 0)
		return -errno;
	fi->fh = fd;
	return 0;
}

static int wbf_read(const char *path, char *buf, size_t size, off_t off,
		    struct fuse_file_info *fi)
{
	ssize_t ret = pread(fi->fh, buf, size, off);

	return ret < 0 ? -errno : ret;
}

static int wbf_write(const char *path, const char *buf, size_t size,
		     off_t off, struct fuse_file_info *fi)
{
	ssize_t ret = pwrite(fi->fh, buf, size, off);

	return ret < 0 ? -errno : ret;
}

static int wbf_release(const char *path, struct fuse_file_info *fi)
{
	close(fi->fh);
	return 0;
}

static int wbf_fsync(const char *path, int datasync,
		     struct fuse_file_info *fi)
{
	int ret = datasync ? fdatasync(fi->fh) : fsync(fi->fh);

	return ret ? -errno : 0;
}

static int wbf_truncate(const char *path, off_t size,
			struct fuse_file_info *fi)
{
	char p[PATH_MAX];
	int ret = fi ? ftruncate(fi->fh, size) : truncate(real(p, path), size);

	return ret ? -errno : 0;
}

static int wbf_unlink(const char *path)
{
	char p[PATH_MAX];

	return unlink(real(p, path)) ? -errno : 0;
}

static int wbf_mkdir(const char *path, mode_t mode)
{
	char p[PATH_MAX];

	return mkdir(real(p, path), mode) ? -errno : 0;
}

static int wbf_utimens(const char *path, const struct timespec tv[2],
		       struct fuse_file_info *fi)
{
	char p[PATH_MAX];
	int ret = fi ? futimens(fi->fh, tv) :
		  utimensat(AT_FDCWD, real(p, path), tv, AT_SYMLINK_NOFOLLOW);

	return ret ? -errno : 0;
}

static int wbf_chmod(const char *path, mode_t mode, struct fuse_file_info *fi)
{
	char p[PATH_MAX];
	int ret = fi ? fchmod(fi->fh, mode) : chmod(real(p, path), mode);

	return ret ? -errno : 0;
}

static const struct fuse_operations wbf_ops = {
	.init = wbf_init,
	.getattr = wbf_getattr,
	.readdir = wbf_readdir,
	.open = wbf_open,
	.create = wbf_create,
	.read = wbf_read,
	.write = wbf_write,
	.release = wbf_release,
	.fsync = wbf_fsync,
	.truncate = wbf_truncate,
	.unlink = wbf_unlink,
	.mkdir = wbf_mkdir,
	.utimens = wbf_utimens,
	.chmod = wbf_chmod,
};

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: wbfuse BACKING_DIR MOUNTPOINT [FUSE options]\n");
		return 2;
	}
	backing = realpath(argv[1], NULL);
	if (!backing) {
		perror(argv[1]);
		return 1;
	}
	argv[1] = argv[0];
	return fuse_main(argc - 1, argv + 1, &wbf_ops, NULL);
}
