// cli/daemon_file.h and util/hmac_sha256.h: the daemon's discovery file is
// written for its user only and read without blocking or unbounded reads;
// the proof of identity is a standard HMAC-SHA-256.
#include "cli/daemon_file.h"

#if !defined(_WIN32)
#include <sys/stat.h>
#include <unistd.h>
#endif

#include <fstream>

#include "test_util.h"
#include "util/hmac_sha256.h"

namespace nga::cli {
namespace {

namespace fs = std::filesystem;

TEST(HmacSha256, MatchesFips180AndRfc4231Vectors) {
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  // RFC 4231 test cases 1, 2 and 6 (a key longer than the block is hashed first).
  EXPECT_EQ(HmacSha256Hex(std::string(20, '\x0b'), "Hi There"),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  EXPECT_EQ(HmacSha256Hex("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  EXPECT_EQ(HmacSha256Hex(std::string(131, '\xaa'),
                          "Test Using Larger Than Block-Size Key - Hash Key First"),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

TEST(DaemonToken, IsFreshHex) {
  auto a = NewDaemonToken();
  auto b = NewDaemonToken();
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->size(), 64u);
  EXPECT_EQ(a->find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_NE(*a, *b);
}

TEST(DaemonFile, IsWrittenForItsUserOnlyAndReadBack) {
  testing::TempDir dir;
  const fs::path file = DaemonFilePath(dir.path());
  ASSERT_TRUE(WriteDaemonFile(file, {42, 4750, "http://127.0.0.1:4750", "/r", "T", "ab12"}));
#if !defined(_WIN32)  // Windows has no mode bits: the profile's directory is the user's own
  struct stat st {};
  ASSERT_EQ(::lstat(file.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
#endif
  auto info = ReadDaemonFile(file);
  ASSERT_TRUE(info) << info.error().message;
  EXPECT_EQ(info->pid, 42);
  EXPECT_EQ(info->port, 4750u);
  EXPECT_EQ(info->root, "/r");
  EXPECT_EQ(info->token, "ab12");
}

TEST(DaemonFile, RefusesHugeFilesUnread) {
  testing::TempDir dir;
  const fs::path file = DaemonFilePath(dir.path());
  { std::ofstream(file) << "{}"; }
  fs::resize_file(file, 1u << 30);  // sparse: costs no disk
  auto huge = ReadDaemonFile(file);
  ASSERT_FALSE(huge);
  EXPECT_NE(huge.error().message.find("larger than 65536 bytes"), std::string::npos);
}

// FIFOs, /dev/zero and symlinks that any user may plant: POSIX only (on
// Windows, planting a symlink takes privileges, see daemon_file.cpp).
#if !defined(_WIN32)
TEST(DaemonFile, RefusesFifoAndSymlinkUnread) {
  testing::TempDir dir;
  const fs::path file = DaemonFilePath(dir.path());
  // A FIFO with no writer: opening it for reading the usual way blocks forever.
  ASSERT_EQ(::mkfifo(file.c_str(), 0600), 0);
  auto fifo = ReadDaemonFile(file);
  ASSERT_FALSE(fifo);
  EXPECT_NE(fifo.error().message.find("not a regular file"), std::string::npos);

  fs::remove(file);
  fs::create_symlink("/dev/zero", file);
  auto zero = ReadDaemonFile(file);
  ASSERT_FALSE(zero);
  EXPECT_NE(zero.error().message.find("not a regular file"), std::string::npos);
}

TEST(DaemonFile, WritingReplacesASymlinkInsteadOfFollowingIt) {
  testing::TempDir dir;
  const fs::path target = dir.path() / "elsewhere";
  { std::ofstream(target) << "keep"; }
  const fs::path file = DaemonFilePath(dir.path());
  fs::create_symlink(target, file);
  ASSERT_TRUE(WriteDaemonFile(file, {7, 1, "u", "/r", "T", "cd34"}));
  EXPECT_FALSE(fs::is_symlink(file));
  std::ifstream kept(target);
  std::string text((std::istreambuf_iterator<char>(kept)), std::istreambuf_iterator<char>());
  EXPECT_EQ(text, "keep");
}
#endif  // !_WIN32

TEST(DaemonFile, IsRemovedOnlyByTheDaemonItNames) {
  testing::TempDir dir;
  const fs::path file = DaemonFilePath(dir.path());
  ASSERT_TRUE(WriteDaemonFile(file, {42, 1, "u", "/r", "T", "ab12"}));
  RemoveDaemonFileIfOwn(file, 43, "ab12");
  RemoveDaemonFileIfOwn(file, 42, "other");
  EXPECT_TRUE(fs::exists(file));
  RemoveDaemonFileIfOwn(file, 42, "ab12");
  EXPECT_FALSE(fs::exists(file));
#if !defined(_WIN32)
  // A FIFO left at its place does not hang a daemon's shutdown.
  ASSERT_EQ(::mkfifo(file.c_str(), 0600), 0);
  RemoveDaemonFileIfOwn(file, 42, "ab12");
  EXPECT_TRUE(fs::exists(file));
#endif
}

}  // namespace
}  // namespace nga::cli
